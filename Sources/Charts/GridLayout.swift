#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Lays out a `ChartGrid`: title, an optional shared legend, then the panels in rows.
struct GridLayout {
    let grid: ChartGrid
    let text: TextKit
    let style = LayoutStyle.standard

    init(grid: ChartGrid, measurer: any TextMeasurer) {
        self.grid = grid
        self.text = TextKit(measurer: measurer)
    }

    func draw(into scene: inout Scene) {
        let frame = Rect(x: 0, y: 0, width: grid.size.width, height: grid.size.height)
        var top = style.padding
        if let title = grid.title, !title.isEmpty {
            let t = text.place(text.truncate(title, font: style.titleFont, maxWidth: frame.width - 2 * style.padding), font: style.titleFont, color: .ink,
                               at: Point(style.padding, top), horizontal: 0, vertical: .top)
            scene.add(.text(t), .title)
            top = t.bounds.maxY + 2
        }
        if let subtitle = grid.subtitle, !subtitle.isEmpty {
            let t = text.place(text.truncate(subtitle, font: style.subtitleFont, maxWidth: frame.width - 2 * style.padding), font: style.subtitleFont,
                               color: .secondaryInk, at: Point(style.padding, top + 1), horizontal: 0, vertical: .top)
            scene.add(.text(t), .subtitle)
            top = t.bounds.maxY + 1
        }
        top += 6

        var panels = grid.panels
        if grid.sharedYDomain {
            var lo = Double.infinity, hi = -Double.infinity
            for panel in panels where panel.y.domain == nil {
                let layout = ChartLayout(chart: panel, frame: frame, text: text, style: .panel, hideLegend: true)
                if let (a, b) = layout.yDataExtent { lo = min(lo, a); hi = max(hi, b) }
            }
            if lo <= hi {
                let hasBars = panels.contains { $0.marks.contains { if case .bar = $0 { return true }; return false } }
                if hasBars { lo = min(lo, 0); hi = max(hi, 0) }
                for i in panels.indices where panels[i].y.domain == nil { panels[i].y.includes += [lo, hi] }
            }
        }

        if grid.sharedLegend {
            // Union of the panels' entries, in order of appearance.
            var entries: [LegendEntry] = []
            var seen = Set<String>()
            for panel in panels {
                let layout = ChartLayout(chart: panel, frame: frame, text: text, style: .panel, hideLegend: false)
                for e in layout.legendEntries() where seen.insert(e.label).inserted { entries.append(e) }
            }
            if !entries.isEmpty {
                let layout = ChartLayout(chart: panels[0], frame: frame, text: text, style: style, hideLegend: false)
                let box = layout.measureLegend(entries, title: nil, maxRowWidth: frame.width - 2 * style.padding)
                var y = top
                for (i, entry) in entries.enumerated() {
                    let column = i % box.columns, row = i / box.columns
                    let x = style.padding + Double(column) * box.columnWidth
                    let cy = y + (Double(row) + 0.5) * box.rowHeight
                    layout.drawLegendSymbol(entry, at: Point(x, cy), into: &scene)
                    scene.add(.text(text.place(entry.label, font: style.legendFont, color: .ink, at: Point(x + 28, cy), horizontal: 0, vertical: .middle)), .legendLabel)
                }
                y += box.size.height
                top = y + 2
            }
        }

        let count = panels.count
        guard count > 0 else { return }
        let columns = max(1, grid.columns)
        let rows = (count + columns - 1) / columns
        let cellWidth = (frame.width - style.padding) / Double(columns)
        let cellHeight = (frame.maxY - top - style.padding / 2) / Double(rows)
        for (i, panel) in panels.enumerated() {
            let r = i / columns, c = i % columns
            let cell = Rect(x: style.padding / 2 + Double(c) * cellWidth, y: top + Double(r) * cellHeight, width: cellWidth, height: cellHeight)
            ChartLayout(chart: panel, frame: cell, text: text, style: .panel, hideLegend: grid.sharedLegend).draw(into: &scene)
        }
    }
}
