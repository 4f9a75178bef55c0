#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Placement: the title block, the margins the axes need, the plot rectangle and the legend's position.
extension ChartLayout {
    /// Where everything goes: plot rectangle, axes, legend, title lines and colour bar.
    struct Placement {
        var plot: Rect
        var x: AxisModel
        var y: AxisModel
        var legendPosition: LegendPosition
        var legend: LegendBox?
        var titleLines: [TextCommand]
        var colorBarArea: Rect?
    }

    /// The placement for a given legend position: title, legend room, colour bar room, then the plot.
    func computePlacement(legendPosition: LegendPosition) -> Placement {
        let (titleLines, titleBottom) = titleBlock()
        let legendRoom = reserveLegend(legendPosition)
        var reservedRight = legendRoom.right
        if hasColorBar { reservedRight += colorBarReservedWidth() }
        let top = titleBottom + legendRoom.top
        let (plot, x, y) = fitPlot(top: top, reservedRight: reservedRight, reservedBottom: legendRoom.bottom)
        var colorBarArea: Rect?
        if hasColorBar {
            let barX = plot.maxX + 16 + (legendRoom.position == .right ? (legendRoom.box?.size.width ?? 0) + 10 : 0)
            colorBarArea = Rect(x: barX, y: plot.minY + plot.height * 0.05, width: 14, height: plot.height * 0.9)
        }
        return Placement(plot: plot, x: x, y: y, legendPosition: legendRoom.position, legend: legendRoom.box,
                         titleLines: titleLines, colorBarArea: colorBarArea)
    }

    /// The wrapped title and subtitle lines, and the y where the rest of the chart starts.
    private func titleBlock() -> (lines: [TextCommand], bottom: Double) {
        var top = frame.minY + style.padding
        var titleLines: [TextCommand] = []
        if let title = chart.title, !title.isEmpty {
            for line in text.wrap(title, font: style.titleFont, maxWidth: frame.width - 2 * style.padding, maxLines: 2) {
                let t = text.place(line, font: style.titleFont, color: .ink, at: Point(frame.minX + style.padding, top), horizontal: 0, vertical: .top)
                titleLines.append(t)
                top = t.bounds.maxY + 2
            }
        }
        if let subtitle = chart.subtitle, !subtitle.isEmpty {
            for line in text.wrap(subtitle, font: style.subtitleFont, maxWidth: frame.width - 2 * style.padding, maxLines: 2) {
                let t = text.place(line, font: style.subtitleFont, color: .secondaryInk, at: Point(frame.minX + style.padding, top + 1), horizontal: 0, vertical: .top)
                titleLines.append(t)
                top = t.bounds.maxY + 1
            }
        }
        if !titleLines.isEmpty { top += 8 }
        return (titleLines, top)
    }

    /// Grows the margins until the tick labels and axis titles fit (at most 8 rounds), then returns the plot and axes.
    private func fitPlot(top: Double, reservedRight: Double, reservedBottom: Double) -> (plot: Rect, x: AxisModel, y: AxisModel) {
        let tickFont = style.tickFont
        let lineHeight = text.measure("Ag", tickFont).height
        let xTitleHeight = chart.x.title.map { _ in text.measure("Ag", style.axisTitleFont).height + 6 } ?? 0
        let yTitleWidth = chart.y.title.map { _ in text.measure("Ag", style.axisTitleFont).height + 8 } ?? 0

        var left = style.padding + yTitleWidth + 30, right = style.padding + 4, bottom = style.padding + xTitleHeight + lineHeight + 10, topExtra = 0.0
        var plot = frame
        var x = AxisModel(scale: ResolvedScale(kind: .linear, lower: 0, upper: 1, rangeStart: 0, rangeEnd: 1))
        var y = x
        for _ in 0..<8 {
            plot = Rect(x: frame.minX + left, y: top + topExtra,
                        width: max(20, frame.width - left - right - reservedRight),
                        height: max(20, frame.maxY - top - topExtra - bottom - reservedBottom))
            if let ratio = chart.plotAspectRatio, ratio > 0 {
                if plot.width / plot.height > ratio {
                    let w = plot.height * ratio
                    plot.x += (plot.width - w) / 2; plot.width = w
                } else {
                    let h = plot.width / ratio
                    plot.height = h
                }
            }
            x = xAxis(plot)
            y = yAxis(plot)
            // Needed margins.
            var yLabelWidth = 0.0
            for (i, lines) in y.labels.enumerated() where y.shown[i] {
                for l in lines { yLabelWidth = max(yLabelWidth, text.measure(l, tickFont).width) }
            }
            let ticksOnY = !y.isBand
            let needLeft = style.padding + yTitleWidth + yLabelWidth + (ticksOnY ? style.tickLength : 0) + style.labelGap
            let xNeeds = xLabelRoom(x, plot: plot, lineHeight: lineHeight)
            let needBottom = style.padding + xTitleHeight + xNeeds.height + (x.isBand ? 0 : style.tickLength) + style.labelGap + 2
            var needTop = 0.0
            if !y.isBand { needTop = lineHeight / 2 + 1 }
            let newLeft = max(needLeft, xNeeds.left + (plot.minX - frame.minX - left))
            if newLeft <= left + 0.5 && xNeeds.right <= right + 0.5 && needBottom <= bottom + 0.5 && needTop <= topExtra + 0.5 { break }
            left = max(left, newLeft); right = max(right, xNeeds.right); bottom = max(bottom, needBottom); topExtra = max(topExtra, needTop)
        }
        return (plot, x, y)
    }

    /// The x tick labels' height and the left and right margins they need (labels may overhang the plot's ends).
    private func xLabelRoom(_ x: AxisModel, plot: Rect, lineHeight: Double) -> (height: Double, left: Double, right: Double) {
        var xLabelHeight = 0.0
        var needRight = style.padding + 4
        var needLeftForX = 0.0
        for (i, lines) in x.labels.enumerated() where x.shown[i] {
            let w = text.measure(lines[0], style.tickFont).width
            let h = lineHeight * Double(lines.count)
            let a = x.angle
            xLabelHeight = max(xLabelHeight, w * sin(a) + h * cos(a))
            let pos = x.scale.position(x.ticks[i])
            if a == 0 {
                needRight = max(needRight, style.padding + (pos + w / 2) - plot.maxX + 2)
                needLeftForX = max(needLeftForX, style.padding + (plot.minX - (pos - w / 2)) + 2)
            } else {
                needLeftForX = max(needLeftForX, style.padding + w * cos(a) + h / 2 - (pos - plot.minX))
            }
        }
        return (xLabelHeight, needLeftForX, needRight)
    }

    /// Pixel points covered by the data (sampled), to find an empty corner for the legend.
    func occupiedPoints(_ p: Placement, includingAnnotations: Bool = true) -> [Point] {
        var out: [Point] = []
        let plot = p.plot
        func sampleRect(_ r: Rect) {
            let nx = max(1, Int(r.width / 8)), ny = max(1, Int(r.height / 8))
            for i in 0...nx { for j in 0...ny { out.append(Point(r.minX + r.width * Double(i) / Double(nx), r.minY + r.height * Double(j) / Double(ny))) } }
        }
        func sampleLine(_ pts: [Point]) {
            for i in 0..<pts.count {
                out.append(pts[i])
                if i > 0 {
                    let a = pts[i - 1], b = pts[i]
                    let n = min(200, Int(hypot(b.x - a.x, b.y - a.y) / 6))
                    if n > 1 { for k in 1..<n { let t = Double(k) / Double(n); out.append(Point(a.x + (b.x - a.x) * t, a.y + (b.y - a.y) * t)) } }
                }
            }
        }
        for bar in bars { if let r = barRect(bar, p) { sampleRect(r) } }
        for mark in chart.marks {
            switch mark {
            case .rect(let r): if let rr = rectFor(r, p) { sampleRect(rr) }
            case .line(let l): sampleLine(l.points.map { map($0, p) })
            case .area(let a):
                sampleLine(zip(a.x, a.upper).map { map(Point($0, $1), p) })
                sampleLine(zip(a.x, a.lower).map { map(Point($0, $1), p) })
            case .point(let m):
                let stride = max(1, m.points.count / 4000)
                for i in Swift.stride(from: 0, to: m.points.count, by: stride) { out.append(map(m.points[i], p)) }
            case .rule(let r):
                switch r.kind {
                case .horizontal(let y): let py = p.y.scale.position(y); sampleLine([Point(plot.minX, py), Point(plot.maxX, py)])
                case .vertical(let x): let px = p.x.scale.position(x); sampleLine([Point(px, plot.minY), Point(px, plot.maxY)])
                case .segment(let a, let b): sampleLine([map(a, p), map(b, p)])
                }
            case .annotation(let a):
                guard includingAnnotations else { continue }
                let q = map(a.point, p)
                sampleRect(Rect(x: q.x - 10, y: q.y - 30, width: text.measure(a.text, style.annotationFont).width + 30, height: 50))
            case .text(let t): out.append(map(t.position, p))
            case .bar: break
            }
        }
        return out
    }

    /// Chooses the legend position and returns the final placement.
    func resolvePlacement() -> Placement {
        let requested = chart.legend.position
        switch requested {
        case .automatic:
            let inside = computePlacement(legendPosition: .automatic)
            guard let box = inside.legend else { return inside }
            let points = occupiedPoints(inside)
            var best: (Corner, Int)?
            for corner in chart.legend.preferredCorners {
                let r = legendFrame(box, corner: corner, plot: inside.plot).insetBy(-4, -4)
                let fitsInside = box.size.width < inside.plot.width * 0.6 && box.size.height < inside.plot.height * 0.6
                guard fitsInside else { continue }
                let count = points.reduce(0) { $0 + (r.contains($1) ? 1 : 0) }
                if best == nil || count < best!.1 { best = (corner, count) }
            }
            if let best, best.1 == 0 {
                var placement = inside
                placement.legendPosition = .inside(best.0)
                return placement
            }
            let longest = box.entries.map { text.measure($0.label, style.legendFont).width }.max() ?? 0
            return computePlacement(legendPosition: longest < frame.width * 0.28 ? .right : .bottom)
        default:
            return computePlacement(legendPosition: requested)
        }
    }
}
