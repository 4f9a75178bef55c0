import Foundation
import Learning
import Pipeline
import Reporting

/// The explanation step's report section "Why viewers score high".
struct ExplainSection {
    static let summaryFigure = "shap-summary.png"
    static let dependenceFigure = "shap-dependence.png"
    static let waterfallFigure = "shap-waterfall.png"
    static let targetingFile = "targeting.csv"
    /// Reasons rows shown in the section (the whole list is in `predict/reasons.csv`).
    static let reasonsPreviewCount = 10

    var choice: ModelChoice
    var sample: ShapSample
    var summaryFeatureCount: Int
    var waterfall: ShapWaterfall
    var waterfallUser: (id: String, probability: Double)
    var budgets: [TargetingBudget]
    var bootstrapCount: Int
    var reasons: [ViewerReasons]
    var testUserCount: Int

    func write(context: StepContext) throws {
        let modelName = choice.bestBoosting.displayName
        let top = sample.topColumns(summaryFeatureCount)
        var batch = FigureBatch(context: context)
        batch.add(ExplainCharts.beeswarm(sample, columns: top, modelName: modelName), Self.summaryFigure,
                  "SHAP summary: the \(top.count) features with the largest mean |SHAP value|, strongest on top. A dot right of the line raised that viewer's score; red dots are viewers with a high value of the feature, blue a low one.")
        batch.add(ExplainCharts.dependence(sample, columns: Array(top.prefix(4))), Self.dependenceFigure,
                  "Dependence plots: how the SHAP value of each of the four strongest features changes with the feature's value (spread at one value comes from interactions with other features).")
        batch.add(waterfall.chart(userID: waterfallUser.id, probability: waterfallUser.probability, modelName: modelName),
                  Self.waterfallFigure,
                  "The median viewer of the top 10 % by final score: from the average test user's score, each feature's contribution (red raises, blue lowers) to this viewer's score.")
        let figures = try batch.render()
        try targetingCSV().write(to: context.outputFile(Self.targetingFile).url)

        var blocks: [SectionDocument.Block] = [.paragraph(introduction(modelName: modelName)), .figure(figures[0])]
        blocks.append(.paragraph(directions(top.prefix(3))))
        blocks += [.figure(figures[1]), .heading("One typical targeted viewer"), .figure(figures[2])]
        blocks += targetingBlocks()
        blocks += reasonsBlocks()
        try context.writeSection(SectionDocument(step: ExplainStep.name, title: ExplainStep.title, summary: summary(top: top),
                                                 blocks: blocks, highlights: highlights(top: top)))
    }

    private func introduction(modelName: String) -> String {
        var text = "Each viewer's score from \(modelName) (the average of its \(choice.settings.foldCount) fold models) is split exactly into one contribution per feature with TreeSHAP (path-dependent, as LightGBM's pred_contrib): the contributions, in log-odds of pos, add up from the average test user's score to the viewer's score. "
            + "The charts use \(sample.explanation.rowCount.formatted()) test users sampled at random."
        if choice.best != choice.bestBoosting {
            text += " The final predictions come from \(choice.best.displayName); the explanations are of its strongest boosting component, and the targeting table below uses the final predictions."
        }
        return text
    }

    /// Whether high or low values of each column raise the score (sign of the correlation of value and SHAP).
    private func directions(_ columns: ArraySlice<Int>) -> String {
        let phrases = columns.map { column -> String in
            let n = sample.explanation.rowCount
            let x = (0 ..< n).map { sample.value($0, column) }, y = (0 ..< n).map { sample.explanation[$0, column] }
            let r = correlation(x, y)
            let share = sample.meanAbsoluteContributions[column]
            let direction = r.isNaN ? "moves the score both ways" : r > 0 ? "higher values raise the score" : "lower values raise the score"
            return "\(sample.names[column]) (mean |SHAP| \(String(format: "%.3f", share)); \(direction))"
        }
        return "The strongest drivers: " + phrases.joined(separator: "; ") + "."
    }

    private func correlation(_ x: [Double], _ y: [Double]) -> Double {
        let pairs = zip(x, y).filter { !$0.0.isNaN }
        let n = Double(pairs.count)
        guard n > 1 else { return .nan }
        let mx = pairs.reduce(0) { $0 + $1.0 } / n, my = pairs.reduce(0) { $0 + $1.1 } / n
        let sxy = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) }
        let sxx = pairs.reduce(0) { $0 + ($1.0 - mx) * ($1.0 - mx) }, syy = pairs.reduce(0) { $0 + ($1.1 - my) * ($1.1 - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : .nan
    }

    private func summary(top: [Int]) -> String {
        var text = "What raises a viewer's score most: \(top.prefix(3).map { sample.names[$0] }.joined(separator: "; "))."
        if let decile = budgets.first(where: { $0.fraction == 0.1 }) {
            text += " If the top 10 % of test users are targeted, an expected \(ExplainFormat.percent(decile.expectedPositiveRate)) of them are pos, and they include about \(ExplainFormat.percent(decile.reachedShare)) of all pos viewers."
        }
        return text
    }

    private func highlights(top: [Int]) -> [SectionDocument.Highlight] {
        var items: [SectionDocument.Highlight] = []
        if let first = top.first { items.append(.init(label: "Strongest driver of a high score", value: sample.names[first])) }
        for budget in budgets where budget.fraction == 0.1 || budget.fraction == 0.01 {
            let label = "Top \(ExplainFormat.budget(budget.fraction)) of test users"
            items.append(.init(label: "\(label): expected pos rate", value: ExplainFormat.interval(budget.expectedPositiveRate, budget.expectedPositiveRateLow, budget.expectedPositiveRateHigh)))
            items.append(.init(label: "\(label): pos viewers reached", value: ExplainFormat.interval(budget.reachedShare, budget.reachedShareLow, budget.reachedShareHigh)))
        }
        return items
    }

    private func targetingBlocks() -> [SectionDocument.Block] {
        let method = "The expected pos rate is the mean calibrated probability of the targeted test users: the final scores are calibrated by isotonic regression fitted on the out-of-fold scores of the training users. "
            + "The share of pos viewers reached is measured on the training users' out-of-fold scores at the same budget. "
            + "Intervals are 95 % percentile intervals from \(bootstrapCount) bootstrap resamples over users (training and test users drawn with replacement, the calibration refitted each time)."
        let rows = budgets.map { b -> [String] in
            [ExplainFormat.budget(b.fraction), b.targetedUserCount.formatted(),
             ExplainFormat.interval(b.expectedPositiveRate, b.expectedPositiveRateLow, b.expectedPositiveRateHigh),
             ExplainFormat.interval(b.reachedShare, b.reachedShareLow, b.reachedShareHigh), String(format: "%.1f×", b.lift)]
        }
        return [.heading("What a budget buys: the targeting table"), .paragraph(method),
                .table(.init(caption: "Targeting the top test users by final score (\(testUserCount.formatted()) test users)",
                             columns: ["Budget", "Users targeted", "Expected pos rate (95 % CI)", "Pos viewers reached (95 % CI)", "Lift"],
                             rows: rows, numericColumns: [1, 2, 3, 4], csvPath: "\(ExplainStep.name)/\(Self.targetingFile)"))]
    }

    private func reasonsBlocks() -> [SectionDocument.Block] {
        let columns = ["Viewer", "P(pos)"] + (1 ... ViewerReasons.reasonCount).map { "Reason \($0) (SHAP)" }
        let rows = reasons.prefix(Self.reasonsPreviewCount).map { viewer -> [String] in
            [viewer.id, ExplainFormat.percent(viewer.probability)] + (0 ..< ViewerReasons.reasonCount).map { k in
                guard k < viewer.reasons.count else { return "–" }
                let reason = viewer.reasons[k]
                return "\(reason.name) = \(ExplainFormat.featureValue(reason.value)) (+\(String(format: "%.2f", reason.contribution)))"
            }
        }
        let path = "\(PredictStep.name)/\(ViewerReasons.csvFile)"
        return [.heading("Reasons per targeted viewer"),
                .paragraph("For each of the \(reasons.count.formatted()) test users in the top 10 % by final score, \(path) lists the three features that raised the boosting model's score most, with the viewer's value and the contribution in log-odds. The highest-scoring viewers:"),
                .table(.init(caption: "First rows of \(path)", columns: columns, rows: rows, numericColumns: [1], csvPath: path))]
    }

    private func targetingCSV() -> CSVTable {
        CSVTable(columns: ["budget_fraction", "users_targeted", "expected_pos_rate", "expected_pos_rate_low", "expected_pos_rate_high",
                           "pos_reached_share", "pos_reached_low", "pos_reached_high", "lift"],
                 rows: budgets.map { b in
                     [String(b.fraction), String(b.targetedUserCount)] + [b.expectedPositiveRate, b.expectedPositiveRateLow, b.expectedPositiveRateHigh,
                                                                          b.reachedShare, b.reachedShareLow, b.reachedShareHigh, b.lift].map { String(format: "%.6f", $0) }
                 })
    }
}

/// How the explanation section writes numbers.
enum ExplainFormat {
    /// A probability as a percentage with one decimal (`37.2 %`).
    static func percent(_ p: Double) -> String { String(format: "%.1f %%", p * 100) }

    /// A budget fraction (`1 %`, `10 %`).
    static func budget(_ fraction: Double) -> String {
        let value = fraction * 100
        return value == value.rounded() ? "\(Int(value)) %" : String(format: "%.1f %%", value)
    }

    /// A rate with its interval (`37.2 % (35.0–39.4 %)`).
    static func interval(_ value: Double, _ low: Double, _ high: Double) -> String {
        "\(percent(value)) (\(String(format: "%.1f", low * 100))–\(String(format: "%.1f", high * 100)) %)"
    }

    /// A feature value for tables: whole numbers as such, otherwise four significant digits.
    static func featureValue(_ value: Double) -> String {
        guard value.isFinite else { return value.isNaN ? "missing" : String(value) }
        if value == value.rounded(), abs(value) < 1e9 { return String(Int(value)) }
        return String(format: "%.4g", value)
    }

    /// The logistic function: log-odds to probability.
    static func probability(logOdds x: Double) -> Double { 1 / (1 + exp(-x)) }
}
