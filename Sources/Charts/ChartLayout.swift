#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

/// Data extent along one axis, gathered from the marks.
struct AxisExtent {
    var lower = Double.infinity
    var upper = -Double.infinity
    var categories: [String] = []
    private var seen: Set<String> = []
    var hasBars = false

    mutating func add(_ v: Double, positiveOnly: Bool) {
        guard v.isFinite, !positiveOnly || v > 0 else { return }
        lower = min(lower, v); upper = max(upper, v)
    }
    mutating func add(category: String) {
        if seen.insert(category).inserted { categories.append(category) }
    }
    var hasNumbers: Bool { lower <= upper }
}

/// A resolved axis: scale, ticks and the labels as placed.
struct AxisModel {
    var scale: ResolvedScale
    /// Tick positions in data units (band axes: band centres as fractional indices).
    var ticks: [Double] = []
    var labels: [[String]] = []      // one or more lines per tick
    var shown: [Bool] = []
    var angle: Double = 0
    var isBand: Bool { scale.kind == .band }
}

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
    private var palette: [Color] { chart.palette.isEmpty ? Palette.categorical : chart.palette }
    private(set) var seriesColors: [String: Color] = [:]
    private(set) var bars: [PlacedBar] = []
    private var xExtent = AxisExtent()
    private var yExtent = AxisExtent()
    private var xLog = false, yLog = false, xBand = false, yBand = false

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

    // MARK: - Axes

    private func numericAxis(_ spec: Axis, extent: AxisExtent, log: Bool, from start: Double, to end: Double, targetCount: Int) -> AxisModel {
        let length = abs(end - start)
        if log {
            var extent = extent
            for v in spec.includes { extent.add(v, positiveOnly: true) }
            var lo = extent.hasNumbers ? extent.lower : 1, hi = extent.hasNumbers ? extent.upper : 10
            if let d = spec.domain, d.lowerBound > 0, d.upperBound.isFinite { lo = d.lowerBound; hi = d.upperBound }
            else if spec.nice {
                lo = Ticks.logNiceFloor(lo); hi = Ticks.logNiceCeiling(hi)
            }
            if hi <= lo { hi = lo * 10 }
            let candidates = spec.tickValues ?? Ticks.logarithmic(lo, hi, maxCount: max(2, Int(length / 45)))
            let kept = Self.keepTicks(candidates, labels: spec.tickLabels) { $0 >= lo * (1 - 1e-9) && $0 <= hi * (1 + 1e-9) }
            var model = AxisModel(scale: ResolvedScale(kind: .log, lower: lo, upper: hi, rangeStart: start, rangeEnd: end))
            model.ticks = kept.ticks
            let format: NumberFormat = spec.format == .automatic ? .powerOfTen : spec.format
            model.labels = zip(kept.labels, format.labels(for: kept.ticks)).map { [$0 ?? $1] }
            model.shown = model.ticks.map { _ in true }
            return model
        }
        var extent = extent
        for v in spec.includes { extent.add(v, positiveOnly: false) }
        var lo = extent.hasNumbers ? extent.lower : 0, hi = extent.hasNumbers ? extent.upper : 1
        if spec.includesZero ?? extent.hasBars { lo = min(lo, 0); hi = max(hi, 0) }
        var ticks: [Double]
        var step: Double
        let integerOnly = spec.integerTicks || spec.format == .hour || spec.format == .integer
        if let d = spec.domain, d.lowerBound.isFinite, d.upperBound.isFinite {
            lo = d.lowerBound; hi = d.upperBound
            let t = Ticks.linear(lo, hi, targetCount: targetCount, extend: false, integerOnly: integerOnly)
            ticks = t.ticks; step = t.step
        } else {
            let t = Ticks.linear(lo, hi, targetCount: targetCount, extend: spec.nice, integerOnly: integerOnly)
            ticks = t.ticks; step = t.step
            if spec.nice { lo = t.lower; hi = t.upper } else if hi - lo < 1e-12 { lo = t.lower; hi = t.upper }
        }
        if spec.format == .hour && spec.tickValues == nil {
            let span = hi - lo
            let s = [1.0, 2, 3, 4, 6, 12].first { span / $0 <= Double(max(2, targetCount)) } ?? 12
            step = s
            ticks = stride(from: (lo / s).rounded(.up) * s, through: hi + 1e-9, by: s).map { $0 }
        }
        // Explicit ticks are kept inside the domain; generated ones already lie inside it.
        let explicit = spec.tickValues != nil
        let kept = Self.keepTicks(spec.tickValues ?? ticks, labels: spec.tickLabels) { !explicit || ($0 >= min(lo, hi) - 1e-9 && $0 <= max(lo, hi) + 1e-9) }
        var model = AxisModel(scale: ResolvedScale(kind: .linear, lower: lo, upper: hi, rangeStart: start, rangeEnd: end))
        model.ticks = kept.ticks
        let formatted = spec.format.labels(for: kept.ticks, step: spec.tickValues == nil ? step : nil)
        model.labels = zip(kept.labels, formatted).map { [$0 ?? $1] }
        model.shown = kept.ticks.map { _ in true }
        return model
    }

    /// The candidate ticks that pass `keep`, each with the label of the same index in `labels`, so that ticks
    /// dropped outside the domain take their labels with them. A tick without a label (a shorter label list)
    /// gets nil and is formatted; labels beyond the ticks are ignored.
    static func keepTicks(_ candidates: [Double], labels: [String]?, where keep: (Double) -> Bool) -> (ticks: [Double], labels: [String?]) {
        var ticks: [Double] = [], kept: [String?] = []
        for (i, value) in candidates.enumerated() where value.isFinite && keep(value) {
            ticks.append(value)
            kept.append(labels.flatMap { i < $0.count ? $0[i] : nil })
        }
        return (ticks, kept)
    }

    private func bandCategories(_ spec: Axis, extent: AxisExtent) -> [String] {
        var cats = spec.categories ?? []
        let known = Set(cats)
        for c in extent.categories where !known.contains(c) { cats.append(c) }
        return cats
    }

    private func usesBars(onX: Bool) -> Bool { !bars.isEmpty && (chart.barOrientation == .vertical) == onX }

    /// X axis for a plot spanning `plot`.
    private func xAxis(_ plot: Rect) -> AxisModel {
        if xBand {
            let cats = bandCategories(chart.x, extent: xExtent)
            var model = AxisModel(scale: ResolvedScale(kind: .band, lower: 0, upper: 1, rangeStart: plot.minX, rangeEnd: plot.maxX,
                                                       categories: cats, padding: usesBars(onX: true) ? 0.2 : 0))
            model.ticks = cats.indices.map { Double($0) + 0.5 }
            // Horizontal if they fit, else 45°, else vertical and thinned.
            let font = style.tickFont
            let step = model.scale.bandStep
            let lineHeight = text.measure("Ag", font).height
            let widths = cats.map { text.measure($0, font).width }
            let maxWidth = widths.max() ?? 0
            let maxRotatedLength = max(40, frame.height * 0.3)
            if maxWidth + 6 <= step {
                model.angle = 0
                model.labels = cats.map { [$0] }
                model.shown = cats.map { _ in true }
            } else if step * 0.7071 >= lineHeight + 1 {
                model.angle = Double.pi / 4
                model.labels = cats.map { [text.truncate($0, font: font, maxWidth: maxRotatedLength)] }
                model.shown = cats.map { _ in true }
            } else {
                model.angle = Double.pi / 2
                model.labels = cats.map { [text.truncate($0, font: font, maxWidth: maxRotatedLength)] }
                let stride = max(1, Int(((lineHeight + 2) / max(step, 0.1)).rounded(.up)))
                model.shown = cats.indices.map { $0 % stride == 0 }
            }
            return model
        }
        let spec = chart.x
        var target = spec.tickCount ?? max(2, min(12, Int(plot.width / 90)))
        while true {
            let model = numericAxis(spec, extent: xExtent, log: xLog, from: plot.minX, to: plot.maxX, targetCount: target)
            // Thin until neighbouring labels leave a gap.
            var fits = true
            let positions = model.ticks.map { model.scale.position($0) }
            for i in 1..<max(1, positions.count) {
                let w = (text.measure(model.labels[i - 1][0], style.tickFont).width + text.measure(model.labels[i][0], style.tickFont).width) / 2
                if abs(positions[i] - positions[i - 1]) < w + 10 { fits = false; break }
            }
            if fits || target <= 2 || spec.tickValues != nil {
                var m = model
                if !fits {
                    // Explicit or minimal ticks that still collide: show every other label.
                    var lastEnd = -Double.infinity
                    m.shown = zip(positions, model.labels).map { pos, lines in
                        let w = self.text.measure(lines[0], self.style.tickFont).width
                        if pos - w / 2 >= lastEnd + 6 { lastEnd = pos + w / 2; return true }
                        return false
                    }
                }
                return m
            }
            target -= 1
        }
    }

    /// Y axis for a plot spanning `plot`.
    private func yAxis(_ plot: Rect) -> AxisModel {
        if yBand {
            let cats = bandCategories(chart.y, extent: yExtent)
            var model = AxisModel(scale: ResolvedScale(kind: .band, lower: 0, upper: 1, rangeStart: plot.minY, rangeEnd: plot.maxY,
                                                       categories: cats, padding: usesBars(onX: false) ? 0.2 : 0))
            model.ticks = cats.indices.map { Double($0) + 0.5 }
            let font = style.tickFont
            let lineHeight = text.measure("Ag", font).height
            let step = model.scale.bandStep
            let maxWidth = frame.width * 0.36
            let maxLines = step >= 2 * lineHeight + 2 ? 2 : 1
            model.labels = cats.map { text.wrap($0, font: font, maxWidth: maxWidth, maxLines: maxLines) }
            let stride = max(1, Int(((lineHeight + 1) / max(step, 0.1)).rounded(.up)))
            model.shown = cats.indices.map { $0 % stride == 0 }
            return model
        }
        let target = chart.y.tickCount ?? max(2, min(10, Int(plot.height / 55)))
        return numericAxis(chart.y, extent: yExtent, log: yLog, from: plot.maxY, to: plot.minY, targetCount: target)
    }

    // MARK: - Legend

    struct LegendBox {
        var entries: [LegendEntry]
        var title: String?
        var size: Size
        var rowHeight: Double
        var columns: Int   // > 1 when laid out in rows (top/bottom)
        var columnWidth: Double
    }

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

    private let symbolWidth = 22.0

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

    // MARK: - Layout

    struct Placement {
        var plot: Rect
        var x: AxisModel
        var y: AxisModel
        var legendPosition: LegendPosition
        var legend: LegendBox?
        var titleLines: [TextCommand]
        var colorBarArea: Rect?
    }

    private var hasColorBar: Bool {
        chart.colorScale != nil && chart.marks.contains { if case .rect(let r) = $0 { return r.value != nil && r.color == nil } else { return false } }
    }

    private func colorBarTicks() -> (ticks: [Double], labels: [String]) {
        guard let cs = chart.colorScale else { return ([], []) }
        let lo = cs.domain.lowerBound, hi = cs.domain.upperBound
        if cs.transform == .log {
            let t = Ticks.logarithmic(lo, hi, maxCount: 6)
            let f: NumberFormat = cs.format == .automatic ? .powerOfTen : cs.format
            return (t, f.labels(for: t))
        }
        let t = Ticks.linear(lo, hi, targetCount: 5, extend: false)
        return (t.ticks, cs.format.labels(for: t.ticks, step: t.step))
    }

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

    /// The legend box (if any), where it goes, and the room it takes on the right, bottom and top.
    private func reserveLegend(_ legendPosition: LegendPosition) -> (position: LegendPosition, box: LegendBox?, right: Double, bottom: Double, top: Double) {
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

    /// The width the colour bar takes right of the plot: bar, ticks, labels and title.
    private func colorBarReservedWidth() -> Double {
        let labels = colorBarTicks().labels
        let labelWidth = labels.map { text.measure($0, style.tickFont).width }.max() ?? 0
        var colorBarWidth = 14 + 4 + 6 + labelWidth + 12
        if chart.colorBarTitle != nil { colorBarWidth += text.measure("Ag", style.axisTitleFont).height + 6 }
        return colorBarWidth
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

    func legendFrame(_ box: LegendBox, corner: Corner, plot: Rect) -> Rect {
        let inset = 8.0
        let x = (corner == .topLeft || corner == .bottomLeft) ? plot.minX + inset : plot.maxX - inset - box.size.width
        let y = (corner == .topLeft || corner == .topRight) ? plot.minY + inset : plot.maxY - inset - box.size.height
        return Rect(x: x, y: y, width: box.size.width, height: box.size.height)
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

    // MARK: - Mapping

    func map(_ q: Point, _ p: Placement) -> Point { Point(p.x.scale.position(q.x), p.y.scale.position(q.y)) }

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

    func rectFor(_ r: RectMark, _ p: Placement) -> Rect? {
        guard let (x0, x1) = span(r.x, p.x), let (y0, y1) = span(r.y, p.y) else { return nil }
        return Rect(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

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

    func color(for mark: Mark) -> Color {
        if let c = mark.explicitColor { return c }
        if let s = mark.series, let c = seriesColors[s] { return c }
        return palette[0]
    }

    // MARK: - Drawing

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

    private func drawAxes(_ p: Placement, into scene: inout Scene) {
        let plot = p.plot
        let axisColor = Color(hex: 0x666666)
        let tickFont = style.tickFont
        // X axis.
        scene.add(.polyline([Point(plot.minX, plot.maxY), Point(plot.maxX, plot.maxY)], color: axisColor, width: 1, dash: .solid), .axisLine)
        var labelBottom = plot.maxY
        for (i, t) in p.x.ticks.enumerated() {
            let px = p.x.scale.position(t)
            guard px >= plot.minX - 0.5 && px <= plot.maxX + 0.5 else { continue }
            var y0 = plot.maxY + style.labelGap
            if !p.x.isBand {
                scene.add(.polyline([Point(px, plot.maxY), Point(px, plot.maxY + style.tickLength)], color: axisColor, width: 1, dash: .solid), .tick)
                y0 += style.tickLength
            }
            guard p.x.shown[i] else { continue }
            for (lineIndex, line) in p.x.labels[i].enumerated() {
                let cmd: TextCommand
                if p.x.angle == 0 {
                    cmd = text.place(line, font: tickFont, color: .secondaryInk, at: Point(px, y0 + Double(lineIndex) * text.measure("Ag", tickFont).height), horizontal: 0.5, vertical: .top)
                } else {
                    cmd = text.place(line, font: tickFont, color: .secondaryInk, at: Point(px, y0 + 2), horizontal: 1, vertical: .middle, angle: p.x.angle)
                }
                labelBottom = max(labelBottom, cmd.bounds.maxY)
                scene.add(.text(cmd), .xTickLabel)
            }
        }
        if let title = chart.x.title {
            let t = text.place(text.truncate(title, font: style.axisTitleFont, maxWidth: frame.width - 2 * style.padding), font: style.axisTitleFont, color: .ink,
                               at: Point(plot.midX, labelBottom + 6), horizontal: 0.5, vertical: .top)
            scene.add(.text(t), .xAxisTitle)
        }
        // Y axis.
        scene.add(.polyline([Point(plot.minX, plot.minY), Point(plot.minX, plot.maxY)], color: axisColor, width: 1, dash: .solid), .axisLine)
        var labelLeft = plot.minX
        let lineHeight = text.measure("Ag", tickFont).height
        for (i, t) in p.y.ticks.enumerated() {
            let py = p.y.scale.position(t)
            guard py >= plot.minY - 0.5 && py <= plot.maxY + 0.5 else { continue }
            var x0 = plot.minX - style.labelGap
            if !p.y.isBand {
                scene.add(.polyline([Point(plot.minX - style.tickLength, py), Point(plot.minX, py)], color: axisColor, width: 1, dash: .solid), .tick)
                x0 -= style.tickLength
            }
            guard p.y.shown[i] else { continue }
            let lines = p.y.labels[i]
            let firstCentre = py - lineHeight * Double(lines.count - 1) / 2
            for (k, line) in lines.enumerated() {
                let cmd = text.place(line, font: tickFont, color: .secondaryInk, at: Point(x0, firstCentre + Double(k) * lineHeight), horizontal: 1, vertical: .middle)
                labelLeft = min(labelLeft, cmd.bounds.minX)
                scene.add(.text(cmd), .yTickLabel)
            }
        }
        if let title = chart.y.title {
            let t = text.place(text.truncate(title, font: style.axisTitleFont, maxWidth: plot.height + 40), font: style.axisTitleFont, color: .ink,
                               at: Point(labelLeft - 6, plot.midY), horizontal: 0.5, vertical: .bottom, angle: Double.pi / 2)
            scene.add(.text(t), .yAxisTitle)
        }
    }

    private func drawAnnotations(_ p: Placement, into scene: inout Scene) {
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

    private func drawLegend(_ p: Placement, into scene: inout Scene) {
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

    private func drawColorBar(_ p: Placement, into scene: inout Scene) {
        guard let area = p.colorBarArea, let cs = chart.colorScale else { return }
        let steps = max(2, Int(area.height))
        let h = area.height / Double(steps)
        for i in 0..<steps {
            // Top of the bar is the high end.
            let t = 1 - (Double(i) + 0.5) / Double(steps)
            let v: Double
            if cs.transform == .log {
                let lo = log10(max(cs.domain.lowerBound, .leastNormalMagnitude)), hi = log10(max(cs.domain.upperBound, .leastNormalMagnitude))
                v = pow(10, lo + t * (hi - lo))
            } else {
                v = cs.domain.lowerBound + t * (cs.domain.upperBound - cs.domain.lowerBound)
            }
            scene.add(.rect(Rect(x: area.minX, y: area.minY + Double(i) * h, width: area.width, height: h + 0.6), fill: cs.color(for: v), stroke: nil, lineWidth: 0), .colorBar)
        }
        scene.add(.rect(area, fill: nil, stroke: Color(hex: 0x999999), lineWidth: 1), .colorBar)
        let (ticks, labels) = colorBarTicks()
        var labelRight = area.maxX
        for (t, label) in zip(ticks, labels) {
            let y = area.maxY - cs.fraction(t) * area.height
            scene.add(.polyline([Point(area.maxX, y), Point(area.maxX + 4, y)], color: Color(hex: 0x666666), width: 1, dash: .solid), .colorBar)
            let cmd = text.place(label, font: style.tickFont, color: .secondaryInk, at: Point(area.maxX + 7, y), horizontal: 0, vertical: .middle)
            labelRight = max(labelRight, cmd.bounds.maxX)
            scene.add(.text(cmd), .colorBarLabel)
        }
        if let title = chart.colorBarTitle {
            let t = text.place(text.truncate(title, font: style.axisTitleFont, maxWidth: area.height + 20), font: style.axisTitleFont, color: .ink,
                               at: Point(labelRight + 6, area.midY), horizontal: 0.5, vertical: .top, angle: Double.pi / 2)
            scene.add(.text(t), .colorBarLabel)
        }
    }
}
