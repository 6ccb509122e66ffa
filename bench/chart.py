"""A small SVG line chart (no plotting library needed): throughput by batch size per stack."""
from pathlib import Path

COLOURS = ["#d62728", "#1f77b4", "#2ca02c", "#7f7f7f", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2"]


def write_svg(results, batch_sizes, path: Path, width=760, height=420):
    series = []
    for variant, stacks in results["measure"].items():
        for stack, report in stacks.items():
            if "throughput" in report:
                series.append((f"{stack} ({variant})", [r["texts_per_second"] for r in report["throughput"]],
                               variant != list(results["measure"])[0]))
    left, right, top, bottom = 60, 230, 30, 50
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((max(values) for _, values, _ in series), default=1) * 1.1
    x = {b: left + (i * plot_w / max(1, len(batch_sizes) - 1)) for i, b in enumerate(batch_sizes)}

    def y(value):
        return top + plot_h - value / peak * plot_h

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<text x="{left}" y="18" font-size="14">Throughput by batch size (texts/s, {results["model"]}, '
             f'{results["threads"]} threads)</text>']
    for step in range(6):
        value = peak * step / 5
        parts.append(f'<line x1="{left}" x2="{left + plot_w}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{value:.0f}</text>')
    for b in batch_sizes:
        parts.append(f'<text x="{x[b]:.1f}" y="{top + plot_h + 18}" text-anchor="middle">{b}</text>')
    parts.append(f'<text x="{left + plot_w / 2}" y="{height - 10}" text-anchor="middle">batch size</text>')
    for index, (name, values, dashed) in enumerate(series):
        colour = COLOURS[index % len(COLOURS)] if not dashed else COLOURS[(index - len(series) // 2) % len(COLOURS)]
        points = " ".join(f"{x[b]:.1f},{y(v):.1f}" for b, v in zip(batch_sizes, values))
        dash = ' stroke-dasharray="6,4"' if dashed else ""
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        legend_y = top + 16 * index
        parts.append(f'<line x1="{width - right + 15}" x2="{width - right + 40}" y1="{legend_y}" y2="{legend_y}" '
                     f'stroke="{colour}" stroke-width="2"{dash}/>')
        parts.append(f'<text x="{width - right + 46}" y="{legend_y + 4}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n")
