#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// A bar with its resolved base and top after stacking.
struct PlacedBar {
    var mark: BarMark
    var base: Double
    var top: Double
    var groupIndex: Int
    var groupCount: Int
}

/// Lays out one chart inside a frame and emits drawing commands.
final class ChartLayout {
    let chart: Chart
    let frame: Rect
    let style: LayoutStyle
    let text: TextKit
    var hideLegend = false

    private(set) var seriesNames: [String] = []
    var palette: [Color] { chart.palette.isEmpty ? Palette.categorical : chart.palette }
    private(set) var seriesColors: [String: Color] = [:]
    private(set) var bars: [PlacedBar] = []
    private(set) var xExtent = AxisExtent()
    private(set) var yExtent = AxisExtent()
    private(set) var xLog = false, yLog = false, xBand = false, yBand = false

    init(chart: Chart, frame: Rect, measurer: any TextMeasurer, style: LayoutStyle, hideLegend: Bool = false) {
        self.chart = chart
        self.frame = frame
        self.style = style
        self.text = TextKit(measurer: measurer)
        self.hideLegend = hideLegend
        prepare()
    }

    init(chart: Chart, frame: Rect, text: TextKit, style: LayoutStyle, hideLegend: Bool) {
        self.chart = chart; self.frame = frame; self.style = style; self.text = text; self.hideLegend = hideLegend
        prepare()
    }

    // MARK: - Data

    /// Series colours, stacked bars, data extents and which axes are log or band.
    private func prepare() {
        assignSeriesColors()
        xLog = chart.x.scale == .log
        yLog = chart.y.scale == .log
        placeBars()
        collectExtents()
        xBand = chart.x.scale == .band || (chart.x.scale == .automatic && !xExtent.categories.isEmpty)
        yBand = chart.y.scale == .band || (chart.y.scale == .automatic && !yExtent.categories.isEmpty)
    }

    /// Series order (explicit first, then as the marks name them) and a colour per series.
    private func assignSeriesColors() {
        var order = chart.seriesOrder ?? []
        var seen = Set(order)
        for mark in chart.marks {
            if let s = mark.series, seen.insert(s).inserted { order.append(s) }
        }
        seriesNames = order
        var paletteIndex = 0
        for name in order {
            if let c = chart.seriesColors[name] { seriesColors[name] = c; continue }
            if let c = chart.marks.first(where: { $0.series == name && $0.explicitColor != nil })?.explicitColor {
                seriesColors[name] = c; continue
            }
            seriesColors[name] = palette[paletteIndex % palette.count]
            paletteIndex += 1
        }
    }

    /// Bars with their stacked base and top and their slot within a group.
    private func placeBars() {
        let barSeries: [String?] = {
            var list: [String?] = []
            for case .bar(let b) in chart.marks where !list.contains(where: { $0 == b.series }) { list.append(b.series) }
            return list
        }()
        var positiveStack: [String: Double] = [:], negativeStack: [String: Double] = [:]
        for case .bar(let b) in chart.marks {
            var base = 0.0, top = b.value
            if chart.barArrangement == .stacked {
                if b.value >= 0 { base = positiveStack[b.category, default: 0]; top = base + b.value; positiveStack[b.category] = top }
                else { base = negativeStack[b.category, default: 0]; top = base + b.value; negativeStack[b.category] = top }
            }
            let grouped = chart.barArrangement == .grouped && barSeries.count > 1
            bars.append(PlacedBar(mark: b, base: base, top: top,
                                  groupIndex: grouped ? (barSeries.firstIndex(where: { $0 == b.series }) ?? 0) : 0,
                                  groupCount: grouped ? barSeries.count : 1))
        }
    }

    /// The data extents of both axes, over every mark.
    private func collectExtents() {
        let vertical = chart.barOrientation == .vertical
        for bar in bars {
            if vertical {
                xExtent.add(category: bar.mark.category)
                yExtent.hasBars = true
                for v in [bar.base, bar.top] + (bar.mark.interval.map { [$0.lowerBound, $0.upperBound] } ?? []) { yExtent.add(v, positiveOnly: yLog) }
            } else {
                yExtent.add(category: bar.mark.category)
                xExtent.hasBars = true
                for v in [bar.base, bar.top] + (bar.mark.interval.map { [$0.lowerBound, $0.upperBound] } ?? []) { xExtent.add(v, positiveOnly: xLog) }
            }
        }
        func addSpan(_ span: Span, to extent: inout AxisExtent, log: Bool) {
            switch span {
            case .range(let a, let b): extent.add(a, positiveOnly: log); extent.add(b, positiveOnly: log)
            case .category(let c): extent.add(category: c)
            }
        }
        for mark in chart.marks {
            switch mark {
            case .bar: break
            case .rect(let r):
                addSpan(r.x, to: &xExtent, log: xLog); addSpan(r.y, to: &yExtent, log: yLog)
            case .line(let l):
                for p in l.points { xExtent.add(p.x, positiveOnly: xLog); yExtent.add(p.y, positiveOnly: yLog) }
            case .area(let a):
                for v in a.x { xExtent.add(v, positiveOnly: xLog) }
                for v in a.lower + a.upper { yExtent.add(v, positiveOnly: yLog) }
            case .point(let p):
                for q in p.points { xExtent.add(q.x, positiveOnly: xLog); yExtent.add(q.y, positiveOnly: yLog) }
            case .rule(let r):
                switch r.kind {
                case .horizontal(let y): yExtent.add(y, positiveOnly: yLog)
                case .vertical(let x): xExtent.add(x, positiveOnly: xLog)
                case .segment(let a, let b):
                    xExtent.add(a.x, positiveOnly: xLog); xExtent.add(b.x, positiveOnly: xLog)
                    yExtent.add(a.y, positiveOnly: yLog); yExtent.add(b.y, positiveOnly: yLog)
                }
            case .text(let t):
                xExtent.add(t.position.x, positiveOnly: xLog); yExtent.add(t.position.y, positiveOnly: yLog)
            case .annotation(let a):
                xExtent.add(a.point.x, positiveOnly: xLog); yExtent.add(a.point.y, positiveOnly: yLog)
            }
        }
    }

    /// The numeric y extent of the chart's data (for shared domains across panels).
    var yDataExtent: (Double, Double)? { yBand || !yExtent.hasNumbers ? nil : (yExtent.lower, yExtent.upper) }

    // MARK: - Mapping

    /// A data point's pixel position.
    func map(_ q: Point, _ p: Placement) -> Point { Point(p.x.scale.position(q.x), p.y.scale.position(q.y)) }

    /// A span's pixel extent along an axis (nil for a category on a numeric axis).
    private func span(_ s: Span, _ axis: AxisModel) -> (Double, Double)? {
        switch s {
        case .range(let a, let b):
            let pa = axis.scale.position(a), pb = axis.scale.position(b)
            return (min(pa, pb), max(pa, pb))
        case .category(let c):
            guard axis.isBand else { return nil }
            return axis.scale.fullBand(of: c)
        }
    }

    /// A rect mark's pixel rectangle.
    func rectFor(_ r: RectMark, _ p: Placement) -> Rect? {
        guard let (x0, x1) = span(r.x, p.x), let (y0, y1) = span(r.y, p.y) else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// A bar's pixel rectangle (its slot within the band when grouped).
    func barRect(_ bar: PlacedBar, _ p: Placement) -> Rect? {
        let vertical = chart.barOrientation == .vertical
        let band = vertical ? p.x : p.y
        let value = vertical ? p.y : p.x
        guard band.isBand, var (b0, b1) = band.scale.band(of: bar.mark.category) else { return nil }
        if bar.groupCount > 1 {
            let sub = (b1 - b0) / Double(bar.groupCount)
            b0 += sub * Double(bar.groupIndex) + sub * 0.04
            b1 = b0 + sub * 0.92
        }
        let v0 = value.scale.position(bar.base), v1 = value.scale.position(bar.top)
        return vertical ? Rect(x: b0, y: min(v0, v1), width: b1 - b0, height: abs(v1 - v0))
                        : Rect(x: min(v0, v1), y: b0, width: abs(v1 - v0), height: b1 - b0)
    }

    /// A mark's colour: its own, its series', else the first palette colour.
    func color(for mark: Mark) -> Color {
        if let c = mark.explicitColor { return c }
        if let s = mark.series, let c = seriesColors[s] { return c }
        return palette[0]
    }

    // MARK: - Drawing

    /// Places the chart and draws grid, marks, overlays, axes, annotations, legend, colour bar and titles.
    func draw(into scene: inout Scene) {
        let p = resolvePlacement()
        scene.plotAreas.append(p.plot)
        drawGrid(p, into: &scene)

        // Marks, clipped to the plot: rects and areas, then bars, then lines, points and rules.
        scene.add(.clip(p.plot.insetBy(-1, -1)), .clip)
        var overlays = MarkOverlays()
        for mark in chart.marks {
            switch mark {
            case .rect(let r): drawRect(r, mark: mark, p, into: &scene, overlays: &overlays)
            case .area(let a): drawArea(a, mark: mark, p, into: &scene)
            default: break
            }
        }
        for bar in bars { drawBar(bar, p, into: &scene, overlays: &overlays) }
        for mark in chart.marks {
            switch mark {
            case .line(let l): drawLine(l, mark: mark, p, into: &scene)
            case .point(let m): drawPoints(m, mark: mark, p, into: &scene)
            case .rule(let r): drawRule(r, p, into: &scene, overlays: &overlays)
            default: break
            }
        }
        for e in overlays.errorBars { scene.add(e, .errorBar) }
        scene.add(.clip(nil), .clip)
        for (t, role) in overlays.labels {
            if role == .ruleLabel { scene.add(.rect(t.bounds.insetBy(-2, -1), fill: Color.white.withOpacity(0.8), stroke: nil, lineWidth: 0), .ruleLabel) }
            scene.add(.text(t), role)
        }
        for mark in chart.marks {
            if case .text(let t) = mark { drawText(t, p, into: &scene) }
        }

        drawAxes(p, into: &scene)
        drawAnnotations(p, into: &scene)
        drawLegend(p, into: &scene)
        drawColorBar(p, into: &scene)
        for t in p.titleLines { scene.add(.text(t), t.font == style.titleFont ? .title : .subtitle) }
    }
}
