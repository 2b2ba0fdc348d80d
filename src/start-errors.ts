/**
 * One clear Russian line for the ways `listen` fails on an operator's machine (busy port, no
 * permission, an address the machine does not have), or null for anything unexpected, which
 * keeps its stack trace.
 */
export function listenError(error: unknown, host: string, port: number): string | null {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${host}:${port}`;
  switch (code) {
    case "EADDRINUSE":
      return `Порт ${where} уже занят другой программой: остановите её или укажите другой PORT в .env.`;
    case "EACCES":
      return `Нет прав слушать порт ${where}: порты ниже 1024 требуют прав администратора — укажите PORT от 1024 (например 3000).`;
    case "EADDRNOTAVAIL":
      return `Адрес ${host} не принадлежит этой машине: укажите верный HOST в .env (127.0.0.1 или 0.0.0.0).`;
    default:
      return null;
  }
}
