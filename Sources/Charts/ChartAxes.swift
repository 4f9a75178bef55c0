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

/// Axes: the x and y scales with their ticks and labels (computed while fitting the plot), and their drawing.
extension ChartLayout {
    /// A linear or log axis over the data extent (or the declared domain) with its ticks and labels.
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

    /// The categories of a band axis: declared ones first, then the data's in order of appearance.
    private func bandCategories(_ spec: Axis, extent: AxisExtent) -> [String] {
        var cats = spec.categories ?? []
        let known = Set(cats)
        for c in extent.categories where !known.contains(c) { cats.append(c) }
        return cats
    }

    /// Whether the bars stand on this axis (their categories are on it).
    private func usesBars(onX: Bool) -> Bool { !bars.isEmpty && (chart.barOrientation == .vertical) == onX }

    /// A band axis over the declared and data categories, one tick at each band's centre (labels not set yet).
    private func bandAxis(_ spec: Axis, extent: AxisExtent, from start: Double, to end: Double, onX: Bool) -> AxisModel {
        let cats = bandCategories(spec, extent: extent)
        var model = AxisModel(scale: ResolvedScale(kind: .band, lower: 0, upper: 1, rangeStart: start, rangeEnd: end,
                                                   categories: cats, padding: usesBars(onX: onX) ? 0.2 : 0))
        model.ticks = cats.indices.map { Double($0) + 0.5 }
        return model
    }

    /// X axis for a plot spanning `plot`.
    func xAxis(_ plot: Rect) -> AxisModel {
        xBand ? xBandAxis(plot) : xNumericAxis(plot)
    }

    /// The x band axis; its labels run horizontal if they fit, else at 45°, else vertical and thinned.
    private func xBandAxis(_ plot: Rect) -> AxisModel {
        var model = bandAxis(chart.x, extent: xExtent, from: plot.minX, to: plot.maxX, onX: true)
        let cats = model.scale.categories
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

    /// The numeric x axis, with fewer ticks until neighbouring labels leave a gap.
    private func xNumericAxis(_ plot: Rect) -> AxisModel {
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
    func yAxis(_ plot: Rect) -> AxisModel {
        if yBand {
            var model = bandAxis(chart.y, extent: yExtent, from: plot.minY, to: plot.maxY, onX: false)
            let cats = model.scale.categories
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

    /// The x and y axis lines, ticks, tick labels and axis titles.
    func drawAxes(_ p: Placement, into scene: inout Scene) {
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
}
