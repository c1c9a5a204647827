// Figures as a table (insights): a header row, one row per group, numbers right-aligned. A
// withheld figure (a group too small to publish) says so in words, never as 0.
import type { ReactNode } from 'react';

export interface Column {
  label: string;
  numeric?: boolean;
}

export function Figures({ label, columns, rows }: { label: string; columns: Column[]; rows: { key: string; cells: ReactNode[] }[] }) {
  return (
    // On a phone the table scrolls inside its box: a keyboard must reach it too (focusable region).
    <div className="figures" role="region" aria-label={label} tabIndex={0}>
      <table aria-label={label}>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.label} scope="col" className={c.numeric ? 'number' : undefined}>
                {c.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key}>
              {row.cells.map((cell, i) => (
                <td key={columns[i]!.label} className={columns[i]!.numeric ? 'number' : undefined}>
                  {cell}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export const Withheld = ({ children }: { children: ReactNode }) => <span className="withheld">{children}</span>;
