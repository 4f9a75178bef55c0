/// What the mark renderers collect while drawing inside the clipped plot, to draw after the marks.
struct MarkOverlays {
    /// Value and rule labels, drawn above every mark once the clip is lifted.
    var labels: [(TextCommand, SceneRole)] = []
    /// Error-bar strokes, drawn above every mark.
    var errorBars: [DrawCommand] = []
}

/// One renderer per mark kind (as in Vega-Lite: rect, area, bar, line, point, rule, text).
extension ChartLayout {
    /// Grid lines at the ticks of the axes that show them.
    func drawGrid(_ p: Placement, into scene: inout Scene) {
        let plot = p.plot
        let xGrid = chart.x.gridLines ?? !p.x.isBand
        let yGrid = chart.y.gridLines ?? !p.y.isBand
        if yGrid {
            for t in p.y.ticks {
                let py = p.y.scale.position(t)
                guard py >= plot.minY - 0.5 && py <= plot.maxY + 0.5 else { continue }
                scene.add(.polyline([Point(plot.minX, py), Point(plot.maxX, py)], color: .grid, width: 1, dash: .solid), .grid)
            }
        }
        if xGrid {
            for t in p.x.ticks {
                let px = p.x.scale.position(t)
                guard px >= plot.minX - 0.5 && px <= plot.maxX + 0.5 else { continue }
                scene.add(.polyline([Point(px, plot.minY), Point(px, plot.maxY)], color: .grid, width: 1, dash: .solid), .grid)
            }
        }
    }

    /// A rectangle (heatmap cell or span), with its label when it fits.
    func drawRect(_ r: RectMark, mark: Mark, _ p: Placement, into scene: inout Scene, overlays: inout MarkOverlays) {
        guard let rr = rectFor(r, p), rr.x.isFinite, rr.y.isFinite, rr.width.isFinite, rr.height.isFinite else { return }
        var fill: Color
        if let c = r.color { fill = c } else if let v = r.value, let cs = chart.colorScale { fill = cs.color(for: v) } else { fill = color(for: mark) }
        fill = fill.withOpacity(fill.opacity * r.opacity)
        let isCell: Bool = { if case .category = r.x, case .category = r.y { return true }; return false }()
        let shown = isCell ? rr.insetBy(0.5, 0.5) : rr
        scene.add(.rect(shown, fill: fill, stroke: nil, lineWidth: 0), .mark)
        if let label = r.label {
            let e = text.measure(label, style.valueFont)
            if e.width + 4 <= rr.width && e.height + 2 <= rr.height {
                let textColor = fill.opacity > 0.5 ? fill.contrastingText : Color.ink
                overlays.labels.append((text.place(label, font: style.valueFont, color: textColor, at: Point(rr.midX, rr.midY), horizontal: 0.5, vertical: .middle), .valueLabel))
            }
        }
    }

    /// A band between a lower and an upper curve.
    func drawArea(_ a: AreaMark, mark: Mark, _ p: Placement, into scene: inout Scene) {
        let n = min(a.x.count, a.lower.count, a.upper.count)
        guard n >= 2 else { return }
        var poly: [Point] = []
        for i in 0..<n { poly.append(map(Point(a.x[i], a.upper[i]), p)) }
        for i in stride(from: n - 1, through: 0, by: -1) { poly.append(map(Point(a.x[i], a.lower[i]), p)) }
        let c = color(for: mark)
        scene.add(.polygon(poly.filter { $0.x.isFinite && $0.y.isFinite }, fill: c.withOpacity(c.opacity * a.opacity)), .mark)
    }

    /// A bar, its error bar and its value label.
    func drawBar(_ bar: PlacedBar, _ p: Placement, into scene: inout Scene, overlays: inout MarkOverlays) {
        guard let r = barRect(bar, p), r.x.isFinite, r.y.isFinite, r.width.isFinite, r.height.isFinite else { return }
        let c = color(for: Mark.bar(bar.mark))
        scene.add(.rect(r, fill: c.withOpacity(c.opacity * bar.mark.opacity), stroke: nil, lineWidth: 0), .mark)
        let vertical = chart.barOrientation == .vertical
        if let interval = bar.mark.interval {
            let valueScale = vertical ? p.y.scale : p.x.scale
            let a = valueScale.position(interval.lowerBound), b = valueScale.position(interval.upperBound)
            let capHalf = min(8, (vertical ? r.width : r.height) * 0.18)
            let segments: [(Point, Point)]
            if vertical {
                let cx = r.midX
                segments = [(Point(cx, a), Point(cx, b)), (Point(cx - capHalf, a), Point(cx + capHalf, a)), (Point(cx - capHalf, b), Point(cx + capHalf, b))]
            } else {
                let cy = r.midY
                segments = [(Point(a, cy), Point(b, cy)), (Point(a, cy - capHalf), Point(a, cy + capHalf)), (Point(b, cy - capHalf), Point(b, cy + capHalf))]
            }
            overlays.errorBars += segments.map { .polyline([$0.0, $0.1], color: .ink, width: 1.4, dash: .solid) }
        }
        if let label = bar.mark.label {
            overlays.labels.append((barLabel(label, bar: bar, rect: r, color: c, p), .valueLabel))
        }
    }

    /// A bar's value label: outside the bar's end (beyond its error bar), or inside when it would leave the plot.
    private func barLabel(_ label: String, bar: PlacedBar, rect r: Rect, color c: Color, _ p: Placement) -> TextCommand {
        let plot = p.plot
        let e = text.measure(label, style.valueFont)
        let vertical = chart.barOrientation == .vertical
        let intervalEnd: Double? = bar.mark.interval.map { vertical ? p.y.scale.position($0.upperBound) : p.x.scale.position($0.upperBound) }
        if vertical {
            let upward = bar.top >= bar.base
            var anchorY = upward ? r.minY - 3 : r.maxY + 3
            if upward, let ie = intervalEnd { anchorY = min(anchorY, ie - 3) }
            if upward && anchorY - e.height < plot.minY && r.height > e.height + 4 {
                return text.place(label, font: style.valueFont, color: c.contrastingText, at: Point(r.midX, r.minY + 3), horizontal: 0.5, vertical: .top)
            }
            return text.place(label, font: style.valueFont, color: .ink, at: Point(r.midX, anchorY), horizontal: 0.5, vertical: upward ? .bottom : .top)
        }
        var anchorX = r.maxX + 4
        if let ie = intervalEnd { anchorX = max(anchorX, ie + 4) }
        if anchorX + e.width > plot.maxX && r.width > e.width + 6 {
            return text.place(label, font: style.valueFont, color: c.contrastingText, at: Point(r.maxX - 4, r.midY), horizontal: 1, vertical: .middle)
        }
        return text.place(label, font: style.valueFont, color: .ink, at: Point(anchorX, r.midY), horizontal: 0, vertical: .middle)
    }

    /// A line (straight or stepped), broken at non-finite points, with optional dots.
    func drawLine(_ l: LineMark, mark: Mark, _ p: Placement, into scene: inout Scene) {
        var pts = l.points
        if l.interpolation == .stepAfter && pts.count > 1 {
            var stepped: [Point] = []
            for i in 0..<pts.count {
                if i > 0 { stepped.append(Point(pts[i].x, pts[i - 1].y)) }
                stepped.append(pts[i])
            }
            pts = stepped
        }
        let c = color(for: mark)
        for run in finiteRuns(pts.map { map($0, p) }) {
            scene.add(.polyline(decimate(run), color: c, width: l.width, dash: l.dash), .mark)
        }
        if l.showsPoints {
            let dots = l.points.map { map($0, p) }.filter { $0.x.isFinite && $0.y.isFinite }
            scene.add(.circles(dots, radius: l.width + 1.5, fill: c, stroke: nil, lineWidth: 0), .mark)
        }
    }

    /// Dots at the finite points.
    func drawPoints(_ m: PointMark, mark: Mark, _ p: Placement, into scene: inout Scene) {
        let c = color(for: mark)
        let pts = m.points.map { map($0, p) }.filter { $0.x.isFinite && $0.y.isFinite }
        scene.add(.circles(pts, radius: m.radius, fill: c.withOpacity(c.opacity * m.opacity), stroke: nil, lineWidth: 0), .mark)
    }

    /// A reference rule (horizontal, vertical or a segment) and its label.
    func drawRule(_ r: RuleMark, _ p: Placement, into scene: inout Scene, overlays: inout MarkOverlays) {
        let plot = p.plot
        let c = r.color ?? (r.series.flatMap { seriesColors[$0] } ?? .reference)
        let pts: [Point]
        switch r.kind {
        case .horizontal(let y): let py = p.y.scale.position(y); pts = [Point(plot.minX, py), Point(plot.maxX, py)]
        case .vertical(let x): let px = p.x.scale.position(x); pts = [Point(px, plot.minY), Point(px, plot.maxY)]
        case .segment(let a, let b): pts = [map(a, p), map(b, p)]
        }
        scene.add(.polyline(pts, color: c, width: r.width, dash: r.dash), .rule)
        guard let label = r.label else { return }
        let labelColor = c == .reference ? Color.secondaryInk : c
        let t: TextCommand
        switch r.kind {
        case .horizontal:
            t = text.place(label, font: style.valueFont, color: labelColor, at: Point(plot.maxX - 4, pts[0].y - 3), horizontal: 1, vertical: .bottom)
        case .vertical:
            t = text.place(label, font: style.valueFont, color: labelColor, at: Point(pts[0].x + 4, plot.minY + 4), horizontal: 0, vertical: .top)
        case .segment:
            t = text.place(label, font: style.valueFont, color: labelColor, at: Point(pts[1].x - 4, pts[1].y + 4), horizontal: 1, vertical: .top)
        }
        overlays.labels.append((t, .ruleLabel))
    }

    /// Annotation marks: a ring on the point and a boxed label in the emptiest nearby spot.
    func drawAnnotations(_ p: Placement, into scene: inout Scene) {
        let plot = p.plot
        var occupied: [Point]?
        for case .annotation(let a) in chart.marks {
            let q = map(a.point, p)
            guard q.x.isFinite && q.y.isFinite else { continue }
            let c = a.color ?? .ink
            scene.add(.circles([q], radius: 6.5, fill: .white, stroke: c, lineWidth: 2.5), .annotation)
            if occupied == nil { occupied = occupiedPoints(p, includingAnnotations: false) }
            let candidates: [(Point, Double, VerticalAlignment)] = [
                (Point(q.x + 10, q.y - 10), 0, .bottom), (Point(q.x + 10, q.y + 10), 0, .top),
                (Point(q.x - 10, q.y - 10), 1, .bottom), (Point(q.x - 10, q.y + 10), 1, .top),
                (Point(q.x, q.y - 14), 0.5, .bottom), (Point(q.x, q.y + 14), 0.5, .top),
            ]
            var best: (TextCommand, Int)?
            for (anchor, h, v) in candidates {
                let t = text.place(a.text, font: style.annotationFont, color: .ink, at: anchor, horizontal: h, vertical: v)
                guard plot.contains(t.bounds.insetBy(-3, -3), slack: 0) else { continue }
                let box = t.bounds.insetBy(-3, -3)
                let hits = occupied?.reduce(0) { $0 + (box.contains($1) ? 1 : 0) } ?? 0
                if best == nil || hits < best!.1 { best = (t, hits) }
                if hits == 0 { break }
            }
            let chosen = best?.0 ?? text.place(a.text, font: style.annotationFont, color: .ink, at: Point(q.x + 10, q.y - 10), horizontal: 0, vertical: .bottom)
            scene.add(.rect(chosen.bounds.insetBy(-3, -2), fill: Color.white.withOpacity(0.85), stroke: nil, lineWidth: 0), .annotation)
            scene.add(.text(chosen), .annotationLabel)
        }
    }

    /// A free text mark at a data position.
    func drawText(_ t: TextMark, _ p: Placement, into scene: inout Scene) {
        let q = map(t.position, p)
        let font = FontSpec(size: t.size, weight: t.bold ? .bold : .regular)
        scene.add(.text(text.place(t.text, font: font, color: t.color ?? .ink, at: Point(q.x + t.offset.x, q.y + t.offset.y),
                                   horizontal: t.anchor.horizontal, vertical: t.anchor.vertical)), .valueLabel)
    }

    /// The finite stretches of a polyline.
    func finiteRuns(_ pts: [Point]) -> [[Point]] {
        var runs: [[Point]] = [], current: [Point] = []
        for q in pts {
            if q.x.isFinite && q.y.isFinite { current.append(q) } else if !current.isEmpty { runs.append(current); current = [] }
        }
        if !current.isEmpty { runs.append(current) }
        return runs
    }

    /// Drops vertices closer than half a pixel to the last kept one (ROC curves have thousands).
    func decimate(_ pts: [Point]) -> [Point] {
        guard pts.count > 2 else { return pts }
        var out = [pts[0]]
        for i in 1..<(pts.count - 1) {
            let last = out[out.count - 1]
            if abs(pts[i].x - last.x) + abs(pts[i].y - last.y) >= 0.75 { out.append(pts[i]) }
        }
        out.append(pts[pts.count - 1])
        return out
    }
}
