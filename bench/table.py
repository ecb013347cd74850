"""Print the results bench/pages.sh collected as a table.

Input: a TSV file, one wrk run a line: mode, page, req/s, p50, p95, p99 (ms),
requests, non-2xx, other CPU (%), notes ('-' where a page was not benched). Runs
of the same mode and page (the rounds of the server comparison) become one row
of medians, with the range of req/s and the number of runs. `x bare` is the
page's req/s over the bare view's req/s in the same mode.
"""

import statistics
import sys


def main(path: str) -> None:
    groups: dict[tuple[str, str], list[list[str]]] = {}
    with open(path) as tsv:
        for line in tsv:
            fields = line.rstrip("\n").split("\t")
            groups.setdefault((fields[0], fields[1]), []).append(fields)
    repeated = any(len(runs) > 1 for runs in groups.values())

    def median(runs: list[list[str]], column: int) -> float:
        return statistics.median(float(run[column]) for run in runs)

    bare = {mode: median(runs, 2) for (mode, page), runs in groups.items() if page == "bare"}
    header = ["mode", "page", "req/s", "p50 ms", "p95 ms", "p99 ms", "requests", "non-2xx"]
    header += ["other CPU %"]
    header += ["runs", "req/s range"] if repeated else []
    rows = [header + ["x bare", "notes"]]
    for (mode, page), runs in groups.items():
        if runs[0][2] == "-":
            rows.append([mode, page] + ["-"] * (len(header) - 1) + [runs[0][9]])
            continue
        rps = median(runs, 2)
        row = [mode, page, f"{rps:.1f}"]
        row += [f"{median(runs, column):.1f}" for column in (3, 4, 5)]
        row += [str(sum(int(run[6]) for run in runs)), str(sum(int(run[7]) for run in runs))]
        row.append(f"{median(runs, 8):.0f}")
        if repeated:
            low, high = min(float(r[2]) for r in runs), max(float(r[2]) for r in runs)
            row += [str(len(runs)), f"{low:.0f}-{high:.0f}"]
        row.append(f"{rps / bare[mode]:.2f}" if bare.get(mode) else "-")
        row.append("; ".join(dict.fromkeys(note for run in runs for note in run[9].split("; "))))
        rows.append(row)
    widths = [max(len(row[i]) for row in rows) for i in range(len(header) + 1)]
    for row in rows:
        cells = [
            cell.ljust(width) if i < 2 else cell.rjust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=False))
        ]
        print("  ".join(cells + [row[-1]]).rstrip())


if __name__ == "__main__":
    main(sys.argv[1])
