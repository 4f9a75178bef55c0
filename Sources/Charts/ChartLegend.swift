/// The legend: its entries, measuring and room, its frame inside the plot, and its drawing.
extension ChartLayout {
    /// A measured legend: its entries, title, size and grid.
    struct LegendBox {
        var entries: [LegendEntry]
        var title: String?
        var size: Size
        var rowHeight: Double
        var columns: Int   // > 1 when laid out in rows (top/bottom)
        var columnWidth: Double
    }

    /// The legend entries: explicit ones, else one per series with the symbol of its first mark.
    func legendEntries() -> [LegendEntry] {
        if let explicit = chart.legend.entries { return explicit }
        var entries: [LegendEntry] = []
        let names = chart.barArrangement == .stacked && chart.barOrientation == .vertical && !bars.isEmpty ? seriesNames.reversed() : seriesNames
        for name in names {
            guard let mark = chart.marks.first(where: { $0.series == name }) else { continue }
            let color = seriesColors[name] ?? Palette.color(0)
            let symbol: LegendSymbol
            var entryColor = color
            switch mark {
            case .line(let l): symbol = .line(l.dash)
            case .rule(let r): symbol = .line(r.dash)
            case .point: symbol = .point
            case .area(let a): symbol = .square; entryColor = color.withOpacity(max(0.35, a.opacity))
            case .bar(let b): symbol = .square; entryColor = color.withOpacity(max(0.35, b.opacity))
            case .rect(let r): symbol = .square; entryColor = color.withOpacity(max(0.35, r.opacity))
            default: symbol = .square
            }
            entries.append(LegendEntry(label: name, color: entryColor, symbol: symbol))
        }
        return entries
    }

    /// Width of the symbol left of each legend label.
    var symbolWidth: Double { 22 }

    /// The legend's size: one column, or rows of equal-width columns when `maxRowWidth` is given.
    func measureLegend(_ entries: [LegendEntry], title: String?, maxRowWidth: Double?) -> LegendBox {
        let font = style.legendFont
        let rowHeight = max(text.measure("Ag", font).height + 5, 16)
        let widths = entries.map { symbolWidth + 6 + text.measure($0.label, font).width }
        let titleWidth = title.map { text.measure($0, FontSpec(size: font.size, weight: .bold)).width } ?? 0
        let titleHeight = title == nil ? 0 : rowHeight
        if let maxRowWidth {
            // Rows of equal-width columns.
            let columnWidth = (widths.max() ?? 0) + 16
            let columns = max(1, min(entries.count, Int(maxRowWidth / max(columnWidth, 1))))
            let rows = (entries.count + columns - 1) / columns
            return LegendBox(entries: entries, title: title,
                             size: Size(width: max(Double(columns) * columnWidth, titleWidth) + 8, height: Double(rows) * rowHeight + titleHeight + 6),
                             rowHeight: rowHeight, columns: columns, columnWidth: columnWidth)
        }
        let width = max(widths.max() ?? 0, titleWidth) + 16
        return LegendBox(entries: entries, title: title, size: Size(width: width, height: Double(entries.count) * rowHeight + titleHeight + 8),
                         rowHeight: rowHeight, columns: 1, columnWidth: width)
    }

    /// The legend box (if any), where it goes, and the room it takes on the right, bottom and top.
    func reserveLegend(_ legendPosition: LegendPosition) -> (position: LegendPosition, box: LegendBox?, right: Double, bottom: Double, top: Double) {
        let entries = hideLegend ? [] : legendEntries()
        var legend: LegendBox?
        var reservedRight = 0.0, reservedBottom = 0.0, reservedTop = 0.0
        var position = legendPosition
        if entries.isEmpty || position == .hidden { position = .hidden } else {
            switch position {
            case .right:
                let box = measureLegend(entries, title: chart.legend.title, maxRowWidth: nil)
                legend = box; reservedRight = box.size.width + 10
            case .bottom, .top:
                let box = measureLegend(entries, title: chart.legend.title, maxRowWidth: frame.width - 2 * style.padding)
                legend = box
                if position == .top { reservedTop = box.size.height + 4 } else { reservedBottom = box.size.height + 6 }
            case .inside, .automatic:
                legend = measureLegend(entries, title: chart.legend.title, maxRowWidth: nil)
            case .hidden: break
            }
        }
        return (position, legend, reservedRight, reservedBottom, reservedTop)
    }

    /// The legend's rectangle inside `corner` of the plot.
    func legendFrame(_ box: LegendBox, corner: Corner, plot: Rect) -> Rect {
        let inset = 8.0
        let x = (corner == .topLeft || corner == .bottomLeft) ? plot.minX + inset : plot.maxX - inset - box.size.width
        let y = (corner == .topLeft || corner == .topRight) ? plot.minY + inset : plot.maxY - inset - box.size.height
        return Rect(x: x, y: y, width: box.size.width, height: box.size.height)
    }

    /// The legend box: inside a corner (framed), right of the plot, or centred above or below it.
    func drawLegend(_ p: Placement, into scene: inout Scene) {
        guard let box = p.legend else { return }
        let plot = p.plot
        var origin: Point
        var framed = false
        switch p.legendPosition {
        case .hidden, .automatic: return
        case .inside(let corner):
            let r = legendFrame(box, corner: corner, plot: plot)
            origin = Point(r.minX, r.minY); framed = true
        case .right:
            origin = Point(plot.maxX + 12, plot.minY)
        case .bottom:
            origin = Point(frame.midX - box.size.width / 2, frame.maxY - style.padding - box.size.height)
        case .top:
            let top = (p.titleLines.last?.bounds.maxY ?? frame.minY + style.padding) + 6
            origin = Point(frame.midX - box.size.width / 2, top)
        }
        if framed {
            scene.add(.rect(Rect(x: origin.x, y: origin.y, width: box.size.width, height: box.size.height),
                            fill: Color.white.withOpacity(0.9), stroke: Color(hex: 0xCCCCCC), lineWidth: 1), .legend)
        }
        var y = origin.y + 4
        if let title = box.title {
            scene.add(.text(text.place(title, font: FontSpec(size: style.legendFont.size, weight: .bold), color: .ink,
                                       at: Point(origin.x + 8, y + box.rowHeight / 2), horizontal: 0, vertical: .middle)), .legendLabel)
            y += box.rowHeight
        }
        for (i, entry) in box.entries.enumerated() {
            let column = i % box.columns, row = i / box.columns
            let x = origin.x + 8 + Double(column) * box.columnWidth
            let cy = y + (Double(row) + 0.5) * box.rowHeight
            drawLegendSymbol(entry, at: Point(x, cy), into: &scene)
            scene.add(.text(text.place(entry.label, font: style.legendFont, color: .ink, at: Point(x + symbolWidth + 6, cy), horizontal: 0, vertical: .middle)), .legendLabel)
        }
    }

    /// One entry's symbol (square, line or point) left of its label.
    func drawLegendSymbol(_ entry: LegendEntry, at p: Point, into scene: inout Scene) {
        switch entry.symbol {
        case .square:
            scene.add(.rect(Rect(x: p.x + 4, y: p.y - 6, width: 12, height: 12), fill: entry.color, stroke: nil, lineWidth: 0), .legend)
        case .line(let dash):
            scene.add(.polyline([Point(p.x, p.y), Point(p.x + symbolWidth, p.y)], color: entry.color, width: 2.5, dash: dash), .legend)
        case .point:
            scene.add(.circles([Point(p.x + symbolWidth / 2, p.y)], radius: 4.5, fill: entry.color.withOpacity(1), stroke: nil, lineWidth: 0), .legend)
        }
    }
}
