import { type KeyboardEvent, memo, useEffect, useMemo, useRef, useState } from "react";
import { Link } from "react-router";
import { useT } from "@/lib/i18n";
import type { Grid } from "../api";
import { cellView, moveFor, startsEntry, step } from "../cell-entry";
import { cellKey, type Draft } from "../use-grid-editor";
import classes from "./grid.module.css";

const ddmm = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}`;

export interface ActiveCell {
  row: number;
  col: number;
}

interface Props {
  grid: Grid;
  drafts: Map<string, Draft>;
  periodMarks: Map<number, { value: string | null; suggested: string | null }>;
  active: ActiveCell;
  onActive(cell: ActiveCell): void;
  onCommit(pupilId: number, lessonId: number, text: string): void;
  /** Typing on a locked mark when the person may correct it: the correction dialog instead. */
  onLockedEntry?(pupilId: number, lessonId: number, text: string): boolean;
}

/**
 * The paper journal's page as a keyboard-first grid (WAI-ARIA grid pattern: one cell in the tab
 * order, arrows move, typing edits). Plain table cells, no component per cell: the largest class
 * has a thousand and more.
 */
export function GridTable({ grid, drafts, periodMarks, active, onActive, onCommit, onLockedEntry }: Props) {
  const t = useT();
  const tableRef = useRef<HTMLTableElement>(null);
  const [editing, setEditing] = useState<{ text: string } | null>(null);
  const rows = grid.pupils.length;
  const cols = grid.lessons.length;
  const cells = useMemo(() => {
    const map = new Map<string, Grid["cells"][number]>();
    for (const c of grid.cells) map.set(cellKey(c.pupilId, c.lessonId), c);
    return map;
  }, [grid.cells]);
  const averages = useMemo(() => new Map(grid.averages.map((a) => [a.pupilId, a])), [grid.averages]);

  const focusActive = useRef(false);
  useEffect(() => {
    if (!focusActive.current || editing) return;
    focusActive.current = false;
    tableRef.current?.querySelector<HTMLElement>(`[data-r="${active.row}"][data-c="${active.col}"]`)?.focus();
  });

  const at = (pos: ActiveCell) => ({ pupil: grid.pupils[pos.row], lesson: grid.lessons[pos.col] });

  function move(to: ActiveCell) {
    focusActive.current = true;
    onActive(to);
  }

  function startEditing(text: string) {
    const { pupil, lesson } = at(active);
    if (!pupil || !lesson) return;
    const cell = cells.get(cellKey(pupil.pupilId, lesson.id));
    if (cell?.mark?.locked && onLockedEntry?.(pupil.pupilId, lesson.id, text)) return;
    setEditing({ text });
  }

  function commitEditing(then: ActiveCell | null) {
    const { pupil, lesson } = at(active);
    if (editing && pupil && lesson) onCommit(pupil.pupilId, lesson.id, editing.text);
    setEditing(null);
    focusActive.current = true;
    if (then) onActive(then);
  }

  function onCellKey(event: KeyboardEvent<HTMLTableElement>) {
    if (editing) return;
    const m = moveFor(event.key, event.shiftKey);
    if (m) {
      if (
        event.key === "Tab" &&
        ((m === "right" && active.col === cols - 1) || (m === "left" && active.col === 0))
      )
        return; // leave the grid
      event.preventDefault();
      move(step(active, m, rows, cols));
    } else if (event.key === "F2") {
      event.preventDefault();
      const { pupil, lesson } = at(active);
      const cell = pupil && lesson ? cells.get(cellKey(pupil.pupilId, lesson.id)) : undefined;
      startEditing(
        cell?.mark ? (cell.mark.value2 ? `${cell.mark.value}/${cell.mark.value2}` : cell.mark.value) : "",
      );
    } else if (startsEntry(event.key, event.ctrlKey || event.metaKey || event.altKey)) {
      event.preventDefault();
      startEditing(event.key);
    }
  }

  function onInputKey(event: KeyboardEvent<HTMLInputElement>) {
    event.stopPropagation();
    if (event.key === "Escape") {
      event.preventDefault();
      setEditing(null);
      focusActive.current = true;
      onActive({ ...active });
      return;
    }
    const m = moveFor(event.key, event.shiftKey);
    if (m && m !== "left" && m !== "right") {
      event.preventDefault();
      commitEditing(step(active, m, rows, cols));
    } else if (event.key === "Tab") {
      event.preventDefault();
      commitEditing(step(active, m, rows, cols));
    }
  }

  const label = t("grid.label", {
    cls: grid.class.name,
    subject: grid.subject.name,
    period: grid.period.name,
  });
  return (
    <div className={classes.wrap}>
      {/* biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: the WAI-ARIA grid pattern on a data table */}
      <table ref={tableRef} role="grid" aria-label={label} className={classes.table} onKeyDown={onCellKey}>
        <thead>
          <tr>
            <th scope="col" className={classes.name}>
              {t("grid.pupil")}
            </th>
            {grid.lessons.map((l) => (
              <th
                key={l.id}
                scope="col"
                className={l.controlForm?.isControlWork ? classes.control : undefined}
                title={l.topic ?? undefined}
              >
                <Link to={`/lessons/${l.id}`} aria-label={`${t("grid.lesson")} ${ddmm(l.date)}`}>
                  {ddmm(l.date)}
                </Link>
                {l.controlForm && (
                  <span className={classes.form}>
                    {abbreviate(l.controlForm.name)} ×{l.controlForm.weight}
                  </span>
                )}
              </th>
            ))}
            <th scope="col">{t("grid.average")}</th>
            <th scope="col">{t("grid.periodMark")}</th>
          </tr>
        </thead>
        <tbody>
          {grid.pupils.map((p, r) => (
            <Row
              key={p.pupilId}
              r={r}
              pupil={p}
              lessons={grid.lessons}
              cells={cells}
              drafts={drafts}
              activeCol={active.row === r ? active.col : -1}
              editing={active.row === r ? editing : null}
              average={averages.get(p.pupilId)}
              periodMark={periodMarks.get(p.pupilId)}
              onFocusCell={(c) => {
                if (active.row !== r || active.col !== c) {
                  if (editing) commitEditing(null);
                  onActive({ row: r, col: c });
                }
              }}
              onEditChange={(text) => setEditing({ text })}
              onEditKey={onInputKey}
              onEditBlur={() => editing && commitEditing(null)}
              onDoubleClick={() => startEditing("")}
            />
          ))}
        </tbody>
      </table>
    </div>
  );
}

const abbreviate = (name: string) => (name.length > 10 ? `${name.slice(0, 8)}.` : name);

interface RowProps {
  r: number;
  pupil: Grid["pupils"][number];
  lessons: Grid["lessons"];
  cells: Map<string, Grid["cells"][number]>;
  drafts: Map<string, Draft>;
  activeCol: number;
  editing: { text: string } | null;
  average?: Grid["averages"][number];
  periodMark?: { value: string | null; suggested: string | null };
  onFocusCell(col: number): void;
  onEditChange(text: string): void;
  onEditKey(event: KeyboardEvent<HTMLInputElement>): void;
  onEditBlur(): void;
  onDoubleClick(): void;
}

const Row = memo(function Row(props: RowProps) {
  const t = useT();
  const { r, pupil, lessons, cells, drafts, activeCol, editing, average, periodMark } = props;
  const name = `${pupil.lastName} ${pupil.firstName}`;
  return (
    <tr>
      <th scope="row" className={classes.name}>
        {name}
      </th>
      {lessons.map((l, c) => {
        const k = cellKey(pupil.pupilId, l.id);
        const cell = cells.get(k);
        const view = cellView({ mark: cell?.mark, attendance: cell?.attendance, draft: drafts.get(k) });
        const isActive = c === activeCol;
        const dateLabel = t("grid.cellLabel", { pupil: name, date: ddmm(l.date) });
        const stateLabel =
          view.state === "locked"
            ? `, ${t("grid.locked")}`
            : view.state === "refused"
              ? `, ${t("grid.refused", { message: view.message ?? "" })}`
              : view.state === "saving"
                ? `, ${t("grid.saving")}`
                : "";
        return (
          <td
            key={l.id}
            // biome-ignore lint/a11y/noNoninteractiveElementToInteractiveRole: a cell of the ARIA grid
            role="gridcell"
            className={classes.cell}
            data-r={r}
            data-c={c}
            data-state={view.state}
            data-absent={cell?.attendance?.kind === "ABSENT" || undefined}
            tabIndex={isActive ? 0 : -1}
            aria-label={`${dateLabel}: ${view.text || "—"}${stateLabel}`}
            title={view.message}
            onFocus={() => props.onFocusCell(c)}
            onDoubleClick={props.onDoubleClick}
          >
            {isActive && editing ? (
              <input
                className={classes.input}
                aria-label={dateLabel}
                value={editing.text}
                // biome-ignore lint/a11y/noAutofocus: typing starts in the cell the teacher is on
                autoFocus
                onChange={(e) => props.onEditChange(e.currentTarget.value)}
                onKeyDown={props.onEditKey}
                onBlur={props.onEditBlur}
              />
            ) : (
              view.text
            )}
          </td>
        );
      })}
      <td className={classes.avg} title={average?.explanation}>
        {average?.average?.toFixed(2) ?? ""}
      </td>
      <td>
        {periodMark?.value ??
          (periodMark?.suggested ? (
            <span className={classes.suggested} title={t("grid.suggested", { value: periodMark.suggested })}>
              {periodMark.suggested}
            </span>
          ) : (
            ""
          ))}
      </td>
    </tr>
  );
});
