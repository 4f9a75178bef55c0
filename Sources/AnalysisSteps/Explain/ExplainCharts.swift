import Core
import Charts
import Foundation
import Learning

/// SHAP values of a sample of users with their feature values, for the explanation charts.
struct ShapSample {
    /// SHAP values (log-odds), `rowCount × (columnCount + 1)`; the last value of a row is the expected value.
    var explanation: TreeSHAPExplanation
    /// The users' feature values in the same column order.
    var values: DenseMatrix
    /// Readable column names.
    var names: [String]

    /// The value of `column` for sample row `row`.
    func value(_ row: Int, _ column: Int) -> Double { Double(values.values[row * values.columnCount + column]) }

    /// Mean |SHAP| per column.
    var meanAbsoluteContributions: [Double] {
        var totals = [Double](repeating: 0, count: explanation.columnCount)
        for row in 0 ..< explanation.rowCount {
            for column in 0 ..< explanation.columnCount { totals[column] += abs(explanation[row, column]) }
        }
        return totals.map { $0 / Double(max(1, explanation.rowCount)) }
    }

    /// Columns by mean |SHAP|, largest first (ties by column order), at most `count`.
    func topColumns(_ count: Int) -> [Int] {
        let importance = meanAbsoluteContributions
        return Array(importance.indices.sorted { importance[$0] != importance[$1] ? importance[$0] > importance[$1] : $0 < $1 }.prefix(count))
    }
}

/// The explanation step's charts: SHAP summary (beeswarm), dependence plots and a waterfall.
enum ExplainCharts {
    /// Blue for low feature values, red for high (the `shap` package's colours), grey for missing.
    static let valueColors = ColorScale(stops: [Color(hex: 0x008BFB), Color(hex: 0x8A40C8), Color(hex: 0xFF0052)], domain: 0 ... 1,
                                        format: .fixed(1))
    static let missingColor = Color(hex: 0x9E9E9E)
    static let raisingColor = Color(hex: 0xFF0052)
    static let loweringColor = Color(hex: 0x008BFB)

    /// One row per column (most important on top), one dot per sampled user at its SHAP value, coloured
    /// by the user's value of the column (scaled between the column's 5th and 95th percentiles) and
    /// spread vertically where dots crowd.
    static func beeswarm(_ sample: ShapSample, columns: [Int], modelName: String) -> Chart {
        let colorBucketCount = 16
        var buckets = [[Point]](repeating: [], count: colorBucketCount + 1)  // the last one: missing values
        for (rank, column) in columns.enumerated() {
            let rowY = Double(columns.count - 1 - rank)
            let shap = (0 ..< sample.explanation.rowCount).map { sample.explanation[$0, column] }
            let offsets = swarmOffsets(shap, halfHeight: 0.4)
            let scaled = scaledValues((0 ..< sample.explanation.rowCount).map { sample.value($0, column) })
            for row in shap.indices {
                let bucket = scaled[row].isNaN ? colorBucketCount : min(colorBucketCount - 1, Int(scaled[row] * Double(colorBucketCount)))
                buckets[bucket].append(Point(shap[row], rowY + offsets[row]))
            }
        }
        var chart = Chart(
            title: "What pushes a viewer's score up or down", subtitle: "SHAP values of \(modelName) (fold-averaged) for \(sample.explanation.rowCount.formatted()) sampled test users; one dot per user and feature",
            x: Axis(title: "SHAP value: change in the log-odds of pos", gridLines: true),
            y: Axis(domain: -0.6 ... Double(columns.count) - 0.4, nice: false,
                    tickValues: columns.indices.map(Double.init), tickLabels: columns.reversed().map { sample.names[$0] }, gridLines: true),
            legend: .hidden, colorScale: valueColors, colorBarTitle: "feature value: low 0 → high 1",
            size: Size(width: 960, height: Double(max(6, columns.count)) * 38 + 150))
        chart.marks.append(.rule(RuleMark(.vertical(x: 0), color: .reference, width: 1, dash: .solid)))
        for (bucket, points) in buckets.enumerated() where !points.isEmpty {
            let color = bucket == colorBucketCount ? missingColor : valueColors.color(for: (Double(bucket) + 0.5) / Double(colorBucketCount))
            chart.marks.append(.point(PointMark(points: points, color: color, radius: 2.1, opacity: 0.85)))
        }
        // The colour bar is drawn for charts with a value-coloured rectangle; this one is empty and invisible.
        if let x = buckets.flatMap({ $0 }).first?.x {
            chart.marks.append(.rect(RectMark(x: .range(x, x), y: .range(0, 0), value: 0, opacity: 0)))
        }
        return chart
    }

    /// Vertical offsets that spread dots sharing nearly the same x (100 bins over the range): the
    /// k-th dot of a bin goes ±⌈k/2⌉ layers from the row's centre, scaled so the fullest bin fills `halfHeight`.
    static func swarmOffsets(_ x: [Double], halfHeight: Double) -> [Double] {
        guard let low = x.min(), let high = x.max() else { return [] }
        let binCount = 100
        let order = x.indices.sorted { x[$0] != x[$1] ? x[$0] < x[$1] : $0 < $1 }
        var layers = [Int](repeating: 0, count: binCount + 1)
        var offsets = [Double](repeating: 0, count: x.count)
        for row in order {
            let bin = high > low ? Int(((x[row] - low) / (high - low) * Double(binCount)).rounded()) : 0
            let layer = layers[bin]
            layers[bin] += 1
            offsets[row] = Double((layer + 1) / 2) * (layer % 2 == 0 ? 1 : -1)
        }
        let widest = max(1, offsets.map(abs).max() ?? 1)
        return offsets.map { $0 / widest * halfHeight }
    }

    /// Values mapped to 0…1 between their 5th and 95th percentiles (clamped); NaN stays NaN.
    static func scaledValues(_ values: [Double]) -> [Double] {
        let finite = values.filter { !$0.isNaN }.sorted()
        guard !finite.isEmpty else { return values }
        func quantile(_ q: Double) -> Double { finite[min(finite.count - 1, Int(q * Double(finite.count - 1)))] }
        var (low, high) = (quantile(0.05), quantile(0.95))
        if high <= low { (low, high) = (finite[0], finite[finite.count - 1]) }
        return values.map { v in
            guard !v.isNaN else { return .nan }
            return high > low ? min(1, max(0, (v - low) / (high - low))) : 0.5
        }
    }

    /// Feature value against SHAP value for each of `columns` (one panel each).
    static func dependence(_ sample: ShapSample, columns: [Int]) -> ChartGrid {
        let panels = columns.map { column -> Chart in
            let points = (0 ..< sample.explanation.rowCount).compactMap { row -> Point? in
                let v = sample.value(row, column)
                return v.isNaN ? nil : Point(v, sample.explanation[row, column])
            }
            var chart = Chart(title: sample.names[column], x: Axis(title: "feature value"),
                              y: Axis(title: "SHAP value (log-odds)"), legend: .hidden)
            chart.marks = [.rule(RuleMark(.horizontal(y: 0), color: .reference, width: 1, dash: .solid)),
                           .point(PointMark(points: points, color: Palette.color(0), radius: 2.2, opacity: 0.45))]
            return chart
        }
        return ChartGrid(title: "How the four strongest features act", subtitle: "each dot a sampled test user: the feature's value and its SHAP value",
                         panels: panels, columns: 2, size: Size(width: 960, height: 760), sharedLegend: false)
    }
}
