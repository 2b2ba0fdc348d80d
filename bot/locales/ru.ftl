# Тексты бота. Русский — основной язык; en.ftl повторяет те же ключи.

## Привязка
start-unlinked = Здравствуйте! Это электронный журнал школы.
    Чтобы подключиться, отправьте код приглашения от классного руководителя или администратора журнала, например: /start AB3K7QXZ
start-linked = Здравствуйте, { $name }! Выберите действие в меню ниже.
linked-guardian = Здравствуйте, { $name }! Чат подключён к журналу. Ваши дети: { $children }.
    Здесь будут отметки, домашние задания и сообщения школы.
linked-staff = Здравствуйте, { $name }! Чат подключён к журналу. Начните с /today — уроки на сегодня.
code-slowed = Слишком много неверных кодов. Попробуйте снова через { $minutes } мин. Код можно уточнить у классного руководителя.
unlinked = Чат отключён от журнала. Чтобы подключиться снова, отправьте новый код: /start КОД
not-linked = Этот чат ещё не подключён к журналу. Отправьте код приглашения, например: /start AB3K7QXZ
only-teachers = Эта команда — для учителей. Родителям: /diary — дневник, /absent — сообщить об отсутствии.
only-guardians = Эта команда — для родителей. Учителям: /today — уроки на сегодня.
only-deputy = Контроль заполнения журнала доступен заместителю директора, директору и администратору.
outdated = Эта кнопка устарела — ничего не изменено. Откройте действие заново.
error-internal = Что-то пошло не так, мы уже разбираемся. Попробуйте ещё раз чуть позже.
unknown-command = Такой команды нет. { $examples }
unknown-text = Не понял сообщение. { $examples }
examples-teacher = Например: «Иванов 5, Петров 4/5, Сидорова н» — отметки за текущий урок; /today — уроки; /hw §12 №3 — домашнее задание.
examples-guardian = Например: /diary — дневник, /absent — ребёнок не придёт, /write — написать учителю.

## Меню
menu-today = 📋 Сегодня
menu-attendance = ✅ Посещаемость
menu-control = 🔎 Контроль
menu-diary = 📖 Дневник
menu-timetable = 📅 Расписание
menu-absence = 🚫 Ребёнок не придёт
menu-write = ✉️ Написать учителю
menu-inbox = 📨 Сообщения
menu-settings = ⚙️ Настройки

## Уроки
lesson-title = { $n }. { $time } { $subject }, { $cls }
lesson-title-sub = { $n }. { $time } { $subject }, { $cls } (замена)
today-title = Уроки на сегодня:
today-hint = Нажмите на урок, чтобы открыть его.
today-empty = Сегодня у вас нет уроков.
choose-lesson = Выберите урок:
no-current-lesson = Сейчас нет урока: сегодня у вас нет уроков. Откройте /today.
lesson-complete = ✔️ всё заполнено
lesson-missing = ⚠️ не заполнено: { $what }
missing-attendance = посещаемость
missing-topic = тема
missing-homework = домашнее задание
missing-control-marks = отметки за контрольную
missing-control_marks = отметки за контрольную
card-topic = Тема
card-homework = ДЗ
card-form = Форма контроля
card-hint = Отметки — одной строкой: «Иванов 5, Петров 4/5». Тема: /topic …, задание: /hw …
btn-attendance = ✅ Посещаемость
btn-form = 📝 Форма контроля
btn-hw-none = ДЗ: не задано
btn-other-lesson = ↔️ Другой урок
hw-none = не задано
hw-none-saved = Записано: домашнее задание не задано.
topic-usage = Напишите тему после команды, например: /topic Сложение дробей
hw-usage = Напишите задание после команды, например: /hw §12, № 3, 5
topic-saved = Тема записана: { $lesson }
hw-saved = Домашнее задание записано: { $lesson }
substitution = замена

## Посещаемость
att-title = Посещаемость
att-hint = Нажимайте на ученика: ✅ присутствует → ❌ отсутствует → ⏰ опоздал.
att-absent = нет
att-late = опоздал
att-btn-all = 👌 Все на месте
att-btn-save = 💾 Сохранить
att-all-present = Все на месте
att-saved-short = Сохранено
att-saved = Посещаемость сохранена: отсутствуют { $absent }, опоздали { $late }.
att-absent-list = Отсутствуют
att-late-list = Опоздали

## Отметки
marks-problems = Ничего не записано — исправьте строку:
marks-unreadable = не понял «{ $piece }»: нужна фамилия и отметка
marks-unknown = ученика «{ $name }» нет в { $cls }
marks-twice = один ученик указан дважды
marks-empty = в строке нет отметок
marks-example = Пример: Иванов 5, Петров 4/5, Сидорова н
marks-ambiguous = «{ $name }» — кого вы имели в виду?
marks-echo = Проверьте отметки за урок { $lesson }:
marks-form = Форма контроля: { $form } (вес { $weight })
marks-absent = отсутствует (н)
btn-confirm = ✅ Подтвердить
btn-edit = ✏️ Изменить
marks-edit = Хорошо, ничего не записано. Отправьте строку заново.
marks-saved-short = Записано
marks-saved = Записано: отметок — { $marks }, отсутствующих — { $absent }.
control-all-marked = Контрольная: отметки есть у всех присутствующих.
control-missing = Контрольная: ещё без отметки — { $list }.
kr-current = Форма контроля: { $form } (вес { $weight })
kr-none = Форма контроля не выбрана (обычный вес 1).
kr-choose = Выберите форму контроля:
kr-set = Форма контроля: { $form }, вес { $weight }.

## Исправления
fix-none = Вы ещё не ставили отметок.
fix-choose = Какую отметку исправить?
fix-ask = { $pupil }: сейчас { $value }. Напишите новую отметку (например, 4 или 4/5).
fix-done = Исправлено: { $pupil } — { $value }. Прежнее значение сохранено в истории.

## Классное руководство
class-none = Вы не классный руководитель ни одного класса в этом учебном году.
class-teacher = Классный руководитель
ct-title = Класс { $cls }
ct-btn-all = ✉️ Всем родителям { $cls }
ct-btn-pupil = 👤 Родителям ученика
ct-btn-absences = 🗓 Пропуски за неделю
ct-choose-pupil = Родителям какого ученика написать?
ct-ask-class = Напишите сообщение для родителей класса одним сообщением. Родители увидят кнопку «Ознакомлен».
ct-ask-pupil = Напишите сообщение для родителей ученика. Родители увидят кнопку «Ознакомлен».
ct-sent = Сообщение отправлено.
ack-count = Ознакомлены: { $acknowledged } · ещё нет: { $pending } · не подключены: { $notLinked }
btn-refresh = 🔄 Обновить
rs-title = Пропуски с { $from } по { $to }:
rs-none = С { $from } по { $to } пропусков нет.
rs-unknown = причина не указана
rs-saved = Причина: { $reason }
reason-EXCUSED = уважительная
reason-ILLNESS = болезнь
reason-UNEXCUSED = неуважительная

## Контроль
control-title = Не заполнено в срок ({ $from }–{ $to }):
control-clean = С { $from } по { $to } все уроки заполнены в срок.
control-more = …и другие; полный отчёт — в веб-журнале.

## Дневник
choose-child = Выберите ребёнка:
no-children = К вашей записи не привязаны дети. Обратитесь к классному руководителю.
diary-today = 📖 { $child }, { $date }:
diary-week = 📖 { $child }, неделя { $from }–{ $to }:
timetable-week = 📅 Расписание: { $child }, { $from }–{ $to }
diary-empty = Уроков нет.
diary-absent = отсутствовал(а)
diary-late = опоздание
btn-today = Сегодня
btn-week = Неделя
btn-subjects = 📊 Отметки по предметам
btn-periods = 🏁 Итоговые
btn-other-child = 👧 Другой ребёнок
choose-subject = { $child }: выберите предмет.
subject-title = 📊 { $child }, { $subject } ({ $period }):
subject-no-marks = Отметок пока нет.
subject-average = Средний балл
subject-lift = Чтобы выйти на { $target }, нужна отметка { $mark } ({ $forms }) — средний станет { $average }.
subject-weight = вес { $weight }
subject-no-lift = Одной отметкой средний балл до следующей целой не поднять.
periods-title = 🏁 { $child }: итоговые отметки
periods-none = Итоговые отметки для { $child } ещё не опубликованы.
wd-1 = Пн
wd-2 = Вт
wd-3 = Ср
wd-4 = Чт
wd-5 = Пт
wd-6 = Сб
wd-7 = Вс

## Отсутствие
abs-when = Когда { $child } не придёт?
abs-today = Сегодня
abs-tomorrow = Завтра
abs-two-days = Сегодня и завтра
abs-week = 5 дней
abs-why = { $child }, { $from }–{ $to }. Причина?
abs-done = Классный руководитель получит сообщение: { $from }–{ $to }, причина — { $reason }.

## Сообщения
inbox-empty = Новых сообщений нет.
btn-ack = ✅ Ознакомлен
btn-reply = ↩️ Ответить
ack-thanks = Спасибо, отмечено: ознакомлен.
reply-ask = Напишите ответ одним сообщением.
write-whom = Кому написать о { $child }?
write-ask = Напишите сообщение одним текстом.
message-sent = Сообщение отправлено.

## Настройки
set-title = ⚙️ Уведомления:
set-kind-marks = отметки
set-kind-homework = домашние задания
set-kind-absences = пропуски
set-kind-messages = сообщения
set-mode-instant = Режим: сразу
set-mode-digest = Режим: сводка раз в день в { $time }
set-quiet-school = Тихие часы: { $start }–{ $end } (как в школе)
set-quiet-own = Тихие часы: { $start }–{ $end }
set-lang-current = Язык: русский
set-btn-digest = 📰 Сводкой раз в день
set-btn-instant = ⚡ Сразу
set-btn-digest-time = 🕖 Время сводки
set-btn-quiet = 🌙 Тихие часы
set-btn-lang = 🌐 English
set-btn-unlink = 🔌 Отключить чат
set-digest-ask = Во сколько присылать сводку? Например: 19:30
set-quiet-ask = Тихие часы — с какого по какое время? Например: 22:00-07:30, или «нет», чтобы как в школе.
set-saved = Сохранено.
today-usage = Укажите день: /today, /today вчера или /today 23.11
day-title = Уроки { $date }:
day-empty = { $date } у вас нет уроков.

# Groups: the bot works with personal data in private chats only.
group-private-only = В группах бот не показывает дневники, отметки и сообщения — их увидели бы все участники. Напишите боту в личные сообщения: @{ $bot }
group-button = Эта кнопка работает только в личном чате с ботом.
# Several people linked in one chat (children in several schools).
choose-settings = Чьи настройки открыть?
settings-of = { $name }, { $school }
btn-pdf = 📄 PDF
btn-chart = 📈 График
control-pdf-caption = Контроль ведения электронного журнала: { $period }.
btn-absences-pdf = 📄 Пропуски (PDF)
btn-slips-pdf = 🎟 Приглашения (PDF)
absences-pdf-caption = Пропуски за неделю: лист для заместителя директора.
slips-pdf-caption = Приглашения для подключения родителей: { $count }. Раздайте их на собрании.
slips-none = Все родители класса уже подключены или у них нет приглашения от вас.
