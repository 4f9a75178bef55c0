import Charts
import Foundation

/// One user's explanation as a waterfall: from the average user's score through each feature's
/// contribution to this user's score.
struct ShapWaterfall {
    /// Per column: readable name, the user's value, SHAP contribution.
    var names: [String]
    var values: [Double]
    var contributions: [Double]
    /// The model's expected raw score (log-odds) and the user's raw score.
    var baseValue: Double
    var score: Double
    /// Contributions drawn one by one; the rest are summed into one bar.
    var shownCount = 10

    /// The bars, top to bottom: label, start and end on the log-odds axis.
    var steps: [(label: String, start: Double, end: Double)] {
        let ranked = contributions.indices.sorted {
            abs(contributions[$0]) != abs(contributions[$1]) ? abs(contributions[$0]) > abs(contributions[$1]) : $0 < $1
        }
        var running = baseValue
        var out: [(label: String, start: Double, end: Double)] = []
        for column in ranked.prefix(shownCount) {
            out.append(("\(names[column]) = \(ExplainFormat.featureValue(values[column]))", running, running + contributions[column]))
            running += contributions[column]
        }
        let rest = ranked.dropFirst(shownCount)
        if !rest.isEmpty {
            let total = rest.reduce(0) { $0 + contributions[$1] }
            out.append(("\(rest.count) other features", running, running + total))
        }
        return out
    }

    func chart(userID: String, probability: Double, modelName: String) -> Chart {
        let steps = steps
        let rowCount = steps.count + 2
        let labels = ["average test user (base value)"] + steps.map(\.label) + ["this user's score"]
        var chart = Chart(
            title: "Why viewer \(userID) scores high",
            subtitle: "\(modelName), fold-averaged: log-odds \(String(format: "%.2f", baseValue)) for the average user (P = \(ExplainFormat.percent(ExplainFormat.probability(logOdds: baseValue)))) → \(String(format: "%.2f", score)) for this user (P = \(ExplainFormat.percent(ExplainFormat.probability(logOdds: score))); final P(pos) \(ExplainFormat.percent(probability)))",
            x: Axis(title: "score in log-odds of pos", gridLines: true),
            y: Axis(domain: -0.6 ... Double(rowCount) - 0.4, nice: false, tickValues: (0 ..< rowCount).map(Double.init),
                    tickLabels: labels.reversed(), gridLines: false),
            legend: .hidden, size: Size(width: 960, height: Double(rowCount) * 40 + 150))
        func y(_ row: Int) -> Double { Double(rowCount - 1 - row) }
        chart.marks.append(.rule(RuleMark(.vertical(x: baseValue), color: .reference, width: 1, dash: .dashed)))
        chart.marks.append(.rule(RuleMark(.vertical(x: score), color: Color.ink, width: 1, dash: .dotted)))
        chart.marks.append(.point(PointMark(points: [Point(baseValue, y(0))], color: Color.secondaryInk, radius: 5)))
        chart.marks.append(.text(TextMark(String(format: "%.2f", baseValue), at: Point(baseValue, y(0)), color: .ink, size: 12,
                                          anchor: .leading, offset: Point(9, 0))))
        for (i, step) in steps.enumerated() {
            let raises = step.end >= step.start
            chart.marks.append(.rect(RectMark(x: .range(min(step.start, step.end), max(step.start, step.end)),
                                              y: .range(y(i + 1) - 0.32, y(i + 1) + 0.32),
                                              color: raises ? ExplainCharts.raisingColor : ExplainCharts.loweringColor)))
            chart.marks.append(.text(TextMark(String(format: "%+.2f", step.end - step.start), at: Point(step.end, y(i + 1)),
                                              color: .ink, size: 12, anchor: raises ? .leading : .trailing,
                                              offset: Point(raises ? 5 : -5, 0))))
        }
        chart.marks.append(.point(PointMark(points: [Point(score, y(rowCount - 1))], color: ExplainCharts.raisingColor, radius: 6)))
        chart.marks.append(.text(TextMark(String(format: "%.2f", score), at: Point(score, y(rowCount - 1)), color: .ink, size: 12, bold: true,
                                          anchor: .leading, offset: Point(10, 0))))
        return chart
    }
}
