#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif canImport(Musl)
import Musl
#endif

// Ready-made chart kinds used by the analysis steps. Each returns an ordinary `Chart`, so a step can
// still adjust titles, axes or add marks (`chart.adding { RuleMark(…) }`).

/// One named sample for a histogram.
public struct HistogramSeries: Sendable {
    public var name: String
    public var values: [Double]
    public init(name: String, values: [Double]) { self.name = name; self.values = values }
}

/// What a histogram's bar height shows.
public enum HistogramNormalization: Sendable, Hashable {
    /// Number of values in the bin.
    case count
    /// Fraction of the series' values in the bin (comparable across classes of different sizes).
    case share
    /// Share ÷ bin width (on a log axis: ÷ width in decades), so areas sum to 1.
    case density
}

/// How several histogram series share a bin.
public enum HistogramArrangement: Sendable, Hashable {
    /// Translucent bars on top of each other.
    case overlaid
    /// Narrow bars side by side within each bin.
    case sideBySide
}

/// One bar of a rate chart: a proportion with its confidence interval.
public struct RateBar: Sendable, Hashable {
    public var category: String
    public var rate: Double
    public var low: Double?
    public var high: Double?
    public var series: String?
    public init(category: String, rate: Double, low: Double? = nil, high: Double? = nil, series: String? = nil) {
        self.category = category; self.rate = rate; self.low = low; self.high = high; self.series = series
    }
}

/// One named line: `y[i]` at `x[i]`.
public struct LineSeries: Sendable, Hashable {
    public var name: String
    public var x: [Double]
    public var y: [Double]
    public var dash: Dash
    public init(name: String, x: [Double], y: [Double], dash: Dash = .solid) { self.name = name; self.x = x; self.y = y; self.dash = dash }
}

/// A ROC curve: false- and true-positive rates from threshold sweeps, with its AUC.
public struct ROCSeries: Sendable, Hashable {
    public var name: String
    public var falsePositiveRates: [Double]
    public var truePositiveRates: [Double]
    public var auc: Double
    public init(name: String, falsePositiveRates: [Double], truePositiveRates: [Double], auc: Double) {
        self.name = name; self.falsePositiveRates = falsePositiveRates; self.truePositiveRates = truePositiveRates; self.auc = auc
    }
}

/// A reliability curve: per bin, the mean predicted probability and the observed positive rate.
public struct CalibrationSeries: Sendable, Hashable {
    public var name: String
    public var meanPredicted: [Double]
    public var observedRate: [Double]
    public init(name: String, meanPredicted: [Double], observedRate: [Double]) {
        self.name = name; self.meanPredicted = meanPredicted; self.observedRate = observedRate
    }
}

/// A cumulative gain curve: fraction of all positives captured in the top `populationFraction` by score.
public struct GainSeries: Sendable, Hashable {
    public var name: String
    public var populationFraction: [Double]
    public var capturedFraction: [Double]
    public init(name: String, populationFraction: [Double], capturedFraction: [Double]) {
        self.name = name; self.populationFraction = populationFraction; self.capturedFraction = capturedFraction
    }
}

/// Points of one category for a scatter plot.
public struct ScatterSeries: Sendable, Hashable {
    public var name: String
    public var points: [Point]
    public init(name: String, points: [Point]) { self.name = name; self.points = points }
    public init(name: String, x: [Double], y: [Double]) { self.name = name; self.points = zip(x, y).map { Point($0, $1) } }
}

extension Chart {
    // MARK: Histograms

    /// Bin edges for `values`: about `binCount` nice-width bins (linear), or equal widths in log10 (log).
    public static func histogramEdges(_ values: [Double], binCount: Int, logarithmic: Bool) -> [Double] {
        let usable = values.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        guard var lo = usable.min(), var hi = usable.max() else { return logarithmic ? [1, 10] : [0, 1] }
        let bins = max(1, binCount)
        if logarithmic {
            lo = log10(lo); hi = log10(hi)
            if hi - lo < 1e-9 { lo -= 0.5; hi += 0.5 }
            let step = (hi - lo) / Double(bins)
            return (0...bins).map { pow(10, lo + Double($0) * step) }
        }
        if hi - lo < 1e-12 { lo -= 0.5; hi += 0.5 }
        let step = Ticks.niceStep((hi - lo) / Double(bins))
        let first = (lo / step).rounded(.down) * step
        var edges: [Double] = []
        var e = first
        var k = 0
        while k < 10_000 {
            edges.append(e)
            if e > hi || (e >= hi && edges.count > 1) { break }
            k += 1
            e = first + Double(k) * step
        }
        if edges.count < 2 { edges.append(first + step) }
        return edges
    }

    /// Counts of `values` in the bins `edges` (last bin closed; values outside are ignored).
    public static func histogramCounts(_ values: [Double], edges: [Double]) -> [Double] {
        let binCount = max(0, edges.count - 1)
        var counts = [Double](repeating: 0, count: binCount)
        guard binCount > 0 else { return counts }
        for v in values where v.isFinite && v >= edges[0] && v <= edges[binCount] {
            // Binary search for the last edge ≤ v.
            var lo = 0, hi = binCount
            while hi - lo > 1 { let mid = (lo + hi) / 2; if edges[mid] <= v { lo = mid } else { hi = mid } }
            counts[lo] += 1
        }
        return counts
    }

    /// A histogram of one or more samples (e.g. one per class), on a linear or log x axis, overlaid or
    /// side by side, as counts, shares or densities.
    public static func histogram(_ series: [HistogramSeries], binCount: Int = 30, logarithmicX: Bool = false,
                                 arrangement: HistogramArrangement = .overlaid, normalization: HistogramNormalization = .count,
                                 title: String? = nil, subtitle: String? = nil, xTitle: String? = nil, yTitle: String? = nil,
                                 xFormat: NumberFormat = .automatic) -> Chart {
        let edges = histogramEdges(series.flatMap { $0.values }, binCount: binCount, logarithmic: logarithmicX)
        let counts = series.map { histogramCounts($0.values, edges: edges) }
        return histogram(edges: edges, counts: Array(zip(series.map { $0.name }, counts)), logarithmicX: logarithmicX,
                         arrangement: arrangement, normalization: normalization, title: title, subtitle: subtitle,
                         xTitle: xTitle, yTitle: yTitle, xFormat: xFormat)
    }

    /// A histogram from bins already counted: `edges` has one more element than each count list.
    public static func histogram(edges: [Double], counts: [(name: String, counts: [Double])], logarithmicX: Bool = false,
                                 arrangement: HistogramArrangement = .overlaid, normalization: HistogramNormalization = .count,
                                 title: String? = nil, subtitle: String? = nil, xTitle: String? = nil, yTitle: String? = nil,
                                 xFormat: NumberFormat = .automatic) -> Chart {
        let seriesCount = counts.count
        let single = seriesCount == 1
        var marks: [Mark] = []
        for (s, entry) in counts.enumerated() {
            let total = entry.counts.reduce(0, +)
            for i in 0..<max(0, min(entry.counts.count, edges.count - 1)) {
                var height = entry.counts[i]
                let a = edges[i], b = edges[i + 1]
                switch normalization {
                case .count: break
                case .share: height = total > 0 ? height / total : 0
                case .density:
                    let width = logarithmicX ? log10(b) - log10(a) : b - a
                    height = total > 0 && width > 0 ? height / total / width : 0
                }
                guard height > 0 else { continue }
                var x0 = a, x1 = b
                if arrangement == .sideBySide && seriesCount > 1 {
                    // Split the bin (in log space on a log axis), leaving a small gap.
                    let t = { (f: Double) -> Double in
                        logarithmicX ? pow(10, log10(a) + (log10(b) - log10(a)) * f) : a + (b - a) * f
                    }
                    let inner = 0.9 / Double(seriesCount)
                    x0 = t(0.05 + inner * Double(s)); x1 = t(0.05 + inner * Double(s + 1))
                }
                let opacity = (arrangement == .overlaid && !single) ? 0.5 : 0.9
                marks.append(.rect(RectMark(x: .range(x0, x1), y: .range(0, height), series: entry.name, opacity: opacity)))
            }
        }
        let yFormat: NumberFormat = normalization == .share ? .percent() : .automatic
        let defaultYTitle: String
        switch normalization {
        case .count: defaultYTitle = "count"
        case .share: defaultYTitle = "share of users"
        case .density: defaultYTitle = logarithmicX ? "density (per decade)" : "density"
        }
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: xTitle, scale: logarithmicX ? .log : .linear, nice: !logarithmicX, format: logarithmicX && xFormat == .automatic ? .powerOfTen : xFormat,
                                  gridLines: false),
                          y: Axis(title: yTitle ?? defaultYTitle, includesZero: true, format: yFormat),
                          legend: single ? .hidden : .automatic)
        chart.marks = marks
        chart.seriesOrder = counts.map { $0.name }
        return chart
    }

    // MARK: Bars

    /// Rates (proportions) per category with confidence intervals as error bars, an optional reference
    /// line (e.g. the overall rate) and value labels. Horizontal when names are long.
    public static func rateBars(_ bars: [RateBar], title: String? = nil, subtitle: String? = nil,
                                categoryTitle: String? = nil, valueTitle: String? = "positive rate",
                                format: NumberFormat = .percent(), reference: Double? = nil, referenceLabel: String? = nil,
                                horizontal: Bool = false, valueLabels: Bool = false) -> Chart {
        var marks: [Mark] = []
        for b in bars {
            let interval: ClosedRange<Double>? = {
                guard let lo = b.low, let hi = b.high, lo.isFinite, hi.isFinite else { return nil }
                return min(lo, hi)...max(lo, hi)
            }()
            marks.append(.bar(BarMark(category: b.category, value: b.rate, series: b.series, interval: interval,
                                      label: valueLabels ? format.string(b.rate) : nil)))
        }
        if let reference {
            let label = referenceLabel ?? "overall \(format.string(reference))"
            marks.append(.rule(horizontal ? RuleMark(.vertical(x: reference), color: .reference, label: label)
                                          : RuleMark(.horizontal(y: reference), color: .reference, label: label)))
        }
        let categoryAxis = Axis(title: categoryTitle, scale: .band)
        let valueAxis = Axis(title: valueTitle, includesZero: true, format: format)
        var chart = Chart(title: title, subtitle: subtitle, x: horizontal ? valueAxis : categoryAxis, y: horizontal ? categoryAxis : valueAxis,
                          barOrientation: horizontal ? .horizontal : .vertical)
        chart.marks = marks
        return chart
    }

    /// Horizontal bars for named values with long names (feature importances), largest on top.
    public static func horizontalBars(_ items: [(name: String, value: Double)], title: String? = nil, subtitle: String? = nil,
                                      valueTitle: String? = nil, format: NumberFormat = .automatic, sorted: Bool = true,
                                      valueLabels: Bool = true, color: Color? = nil, size: Size? = nil) -> Chart {
        let ordered = sorted ? items.sorted { $0.value > $1.value } : items
        let height = size?.height ?? max(360, min(1600, Double(ordered.count) * 30 + 140))
        let axisFormat: NumberFormat = { if case .fixed = format { return .automatic }; return format }()
        var chart = Chart(title: title, subtitle: subtitle, x: Axis(title: valueTitle, includesZero: true, format: axisFormat),
                          y: Axis(scale: .band, categories: ordered.map { $0.name }), barOrientation: .horizontal,
                          size: Size(width: size?.width ?? 960, height: height))
        chart.marks = ordered.map { .bar(BarMark(category: $0.name, value: $0.value, color: color, label: valueLabels ? format.string($0.value) : nil)) }
        return chart
    }

    /// Bars for several series per category, grouped side by side or stacked.
    public static func groupedBars(categories: [String], series: [(name: String, values: [Double])], stacked: Bool = false,
                                   title: String? = nil, subtitle: String? = nil, categoryTitle: String? = nil, valueTitle: String? = nil,
                                   format: NumberFormat = .automatic) -> Chart {
        var chart = Chart(title: title, subtitle: subtitle, x: Axis(title: categoryTitle, scale: .band, categories: categories),
                          y: Axis(title: valueTitle, includesZero: true, format: format), barArrangement: stacked ? .stacked : .grouped)
        for s in series {
            for (c, v) in zip(categories, s.values) { chart.marks.append(.bar(BarMark(category: c, value: v, series: s.name))) }
        }
        chart.seriesOrder = series.map { $0.name }
        return chart
    }

    // MARK: Lines

    /// Lines for several series over a numeric x.
    public static func lines(_ series: [LineSeries], title: String? = nil, subtitle: String? = nil, xTitle: String? = nil, yTitle: String? = nil,
                             xFormat: NumberFormat = .automatic, yFormat: NumberFormat = .automatic, showsPoints: Bool = false,
                             logarithmicX: Bool = false, logarithmicY: Bool = false) -> Chart {
        var chart = Chart(title: title, subtitle: subtitle, x: Axis(title: xTitle, scale: logarithmicX ? .log : .linear, format: xFormat),
                          y: Axis(title: yTitle, scale: logarithmicY ? .log : .linear, format: yFormat),
                          legend: series.count > 1 ? .automatic : .hidden)
        chart.marks = series.map { .line(LineMark(x: $0.x, y: $0.y, series: $0.name, dash: $0.dash, showsPoints: showsPoints)) }
        return chart
    }

    /// An elbow curve (e.g. k-means inertia against k) with the chosen k marked and annotated (`k = 6`).
    public static func elbow(k: [Int], values: [Double], chosenK: Int?, title: String? = nil, subtitle: String? = nil,
                             xTitle: String = "number of clusters k", yTitle: String = "within-cluster sum of squares",
                             yFormat: NumberFormat = .automatic) -> Chart {
        let xs = k.map(Double.init)
        var chart = Chart(title: title, subtitle: subtitle, x: Axis(title: xTitle, nice: false, integerTicks: true),
                          y: Axis(title: yTitle, format: yFormat), legend: .hidden)
        if let lo = xs.min(), let hi = xs.max(), hi > lo {
            let pad = max(0.3, (hi - lo) * 0.04)
            chart.x.domain = (lo - pad)...(hi + pad)
            if hi - lo <= 20 { chart.x.tickValues = Array(stride(from: lo, through: hi, by: hi - lo <= 12 ? 1 : 2)) }
        }
        chart.marks = [.line(LineMark(x: xs, y: values, color: Palette.color(0), showsPoints: true))]
        if let chosenK, let i = k.firstIndex(of: chosenK), i < values.count {
            chart.marks.append(.rule(RuleMark(.vertical(x: Double(chosenK)), color: Palette.color(3).withOpacity(0.8), width: 1.25, dash: .dashed)))
            chart.marks.append(.annotation(AnnotationMark("k = \(chosenK)", at: Point(Double(chosenK), values[i]), color: Palette.color(3))))
        }
        return chart
    }

    /// ROC curves with the chance diagonal; each legend entry carries the AUC (`Boosting (AUC 0.842)`).
    public static func rocCurves(_ curves: [ROCSeries], title: String? = "ROC curves", subtitle: String? = nil) -> Chart {
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: "false positive rate", domain: 0...1, format: .fixed(1), tickValues: [0, 0.2, 0.4, 0.6, 0.8, 1]),
                          y: Axis(title: "true positive rate", domain: 0...1, format: .fixed(1), tickValues: [0, 0.2, 0.4, 0.6, 0.8, 1]),
                          legend: Legend(preferredCorners: [.bottomRight, .topLeft, .topRight, .bottomLeft]), plotAspectRatio: 1)
        chart.size = Size(width: 760, height: 640)
        for c in curves {
            chart.marks.append(.line(LineMark(x: c.falsePositiveRates, y: c.truePositiveRates,
                                              series: "\(c.name) (AUC \(NumberFormat.fixed(3).string(c.auc)))")))
        }
        chart.marks.append(.rule(RuleMark(.segment(from: Point(0, 0), to: Point(1, 1)), series: "chance (AUC 0.500)", color: .reference, width: 1.25, dash: .dashed)))
        return chart
    }

    /// Reliability (calibration) curves with the diagonal of perfect calibration; both axes share one domain.
    public static func calibration(_ curves: [CalibrationSeries], title: String? = "Calibration", subtitle: String? = nil,
                                   upperLimit: Double? = nil) -> Chart {
        let maxValue = upperLimit ?? (curves.flatMap { $0.meanPredicted + $0.observedRate }.filter { $0.isFinite }.max() ?? 1)
        let top = min(1, Ticks.linear(0, max(maxValue, 1e-6), targetCount: 5).upper)
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: "mean predicted probability", domain: 0...top, format: .percent()),
                          y: Axis(title: "observed positive rate", domain: 0...top, format: .percent()),
                          legend: Legend(preferredCorners: [.bottomRight, .topLeft, .topRight, .bottomLeft]), plotAspectRatio: 1)
        chart.size = Size(width: 760, height: 640)
        for c in curves {
            chart.marks.append(.line(LineMark(x: c.meanPredicted, y: c.observedRate, series: c.name, showsPoints: true)))
        }
        chart.marks.append(.rule(RuleMark(.segment(from: Point(0, 0), to: Point(top, top)), series: "perfectly calibrated", color: .reference, width: 1.25, dash: .dashed)))
        return chart
    }

    /// Cumulative gain curves with the random-targeting diagonal and, given the positive `baseRate`, the best possible curve.
    public static func cumulativeGain(_ curves: [GainSeries], baseRate: Double? = nil, title: String? = "Cumulative gain",
                                      subtitle: String? = nil) -> Chart {
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: "share of users targeted (by score)", domain: 0...1, format: .percent()),
                          y: Axis(title: "share of positives captured", domain: 0...1, format: .percent()),
                          legend: Legend(preferredCorners: [.bottomRight, .topLeft, .topRight, .bottomLeft]), plotAspectRatio: 1)
        chart.size = Size(width: 760, height: 640)
        for c in curves { chart.marks.append(.line(LineMark(x: c.populationFraction, y: c.capturedFraction, series: c.name))) }
        if let baseRate, baseRate > 0, baseRate < 1 {
            chart.marks.append(.line(LineMark(points: [Point(0, 0), Point(baseRate, 1), Point(1, 1)], series: "perfect model",
                                              color: Color(hex: 0x444444), width: 1.25, dash: .dotted)))
        }
        chart.marks.append(.rule(RuleMark(.segment(from: Point(0, 0), to: Point(1, 1)), series: "random", color: .reference, width: 1.25, dash: .dashed)))
        return chart
    }

    /// Lift curves (captured share ÷ targeted share) with the line at lift 1.
    public static func lift(_ curves: [GainSeries], title: String? = "Lift", subtitle: String? = nil) -> Chart {
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: "share of users targeted (by score)", domain: 0...1, format: .percent()),
                          y: Axis(title: "lift over random", includesZero: true))
        for c in curves {
            let pts = zip(c.populationFraction, c.capturedFraction).compactMap { f, g in f > 0 ? Point(f, g / f) : nil }
            chart.marks.append(.line(LineMark(points: pts, series: c.name)))
        }
        chart.marks.append(.rule(RuleMark(.horizontal(y: 1), series: "random", color: .reference, width: 1.25, dash: .dashed)))
        return chart
    }

    // MARK: Heat maps and scatter

    /// A heat map of `values[row][column]` with a colour bar; optional value labels in the cells.
    /// Non-finite values are left blank.
    public static func heatMap(rows: [String], columns: [String], values: [[Double]], title: String? = nil, subtitle: String? = nil,
                               rowTitle: String? = nil, columnTitle: String? = nil, colorScale: ColorScale? = nil,
                               colorBarTitle: String? = nil, valueFormat: NumberFormat? = nil, size: Size? = nil) -> Chart {
        let finite = values.flatMap { $0 }.filter { $0.isFinite }
        let lo = finite.min() ?? 0, hi = finite.max() ?? 1
        let scale = colorScale ?? ColorScale.sequential(lo...(hi > lo ? hi : lo + 1))
        var chart = Chart(title: title, subtitle: subtitle,
                          x: Axis(title: columnTitle, scale: .band, categories: columns),
                          y: Axis(title: rowTitle, scale: .band, categories: rows),
                          legend: .hidden, colorScale: scale, colorBarTitle: colorBarTitle, size: size ?? .standard)
        for (r, row) in rows.enumerated() where r < values.count {
            for (c, column) in columns.enumerated() where c < values[r].count {
                let v = values[r][c]
                guard v.isFinite else { continue }
                chart.marks.append(.rect(RectMark(x: .category(column), y: .category(row), value: v, label: valueFormat.map { $0.string(v) })))
            }
        }
        return chart
    }

    /// A scatter plot of many points coloured by category, translucent so density shows.
    public static func scatter(_ series: [ScatterSeries], title: String? = nil, subtitle: String? = nil, xTitle: String? = nil, yTitle: String? = nil,
                               radius: Double? = nil, opacity: Double? = nil, xFormat: NumberFormat = .automatic, yFormat: NumberFormat = .automatic) -> Chart {
        let total = series.reduce(0) { $0 + $1.points.count }
        let r = radius ?? (total > 20_000 ? 1.6 : total > 2_000 ? 2.2 : 3.5)
        let a = opacity ?? (total > 20_000 ? 0.25 : total > 2_000 ? 0.45 : 0.85)
        var chart = Chart(title: title, subtitle: subtitle, x: Axis(title: xTitle, format: xFormat), y: Axis(title: yTitle, format: yFormat),
                          legend: series.count > 1 ? .automatic : .hidden)
        chart.marks = series.map { .point(PointMark(points: $0.points, series: $0.name, radius: r, opacity: a)) }
        return chart
    }
}
