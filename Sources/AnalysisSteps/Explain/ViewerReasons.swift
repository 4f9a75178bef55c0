import Core
import Foundation
import Learning
import Reporting

/// The columns that raised one targeted viewer's score most, with their SHAP contributions.
public struct ViewerReasons: Codable, Sendable, Equatable {
    /// The test user's id.
    public var id: String
    /// The user's final P(pos).
    public var probability: Double
    /// At most ``ViewerReasons/reasonCount`` reasons, largest contribution first; only columns that raised the score.
    public var reasons: [Reason]

    /// One column's push on the score.
    public struct Reason: Codable, Sendable, Equatable {
        /// The column's name in the feature matrix (`genre_share:Cricket`).
        public var column: String
        /// The readable name (`share of watch time: Cricket`).
        public var name: String
        /// The user's value of the column.
        public var value: Double
        /// SHAP contribution to the fold-averaged boosting model's log-odds (> 0).
        public var contribution: Double
    }

    /// The share of test users (by final score) who get reasons: the top 10 %.
    public static let targetedFraction = 0.1
    /// Reasons per user.
    public static let reasonCount = 3
    /// The reasons file inside the predict step's report folder (`reports/predict/reasons.csv`).
    public static let csvFile = "reasons.csv"
    /// The same reasons as JSON in the predict step's artifact folder (read by the explain step).
    public static let artifactFile = "reasons.json"

    /// The top `fraction` of rows by score, highest first (ties by row order): `round(fraction × n)`, at least one.
    public static func topRows(scores: [Double], fraction: Double = targetedFraction) -> [Int] {
        guard !scores.isEmpty else { return [] }
        let count = min(scores.count, max(1, Int((fraction * Double(scores.count)).rounded())))
        let order = scores.indices.sorted { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : $0 < $1 }
        return Array(order.prefix(count))
    }

    /// Each explained row's largest positive contributions; `values[i]` are row `i`'s feature values (model order).
    static func make(ids: [String], probabilities: [Double], explanation: TreeSHAPExplanation, columnNames: [String],
                     values: DenseMatrix) -> [ViewerReasons] {
        (0 ..< explanation.rowCount).map { i in
            let raising = largestPositive(count: reasonCount, of: explanation.values[(i * (explanation.columnCount + 1)) ..< ((i + 1) * (explanation.columnCount + 1) - 1)])
            return ViewerReasons(id: ids[i], probability: probabilities[i], reasons: raising.map { c in
                Reason(column: columnNames[c], name: readableFeatureName(columnNames[c]),
                       value: Double(values.values[i * values.columnCount + c]), contribution: explanation[i, c])
            })
        }
    }

    /// The positions (relative to the slice start) of the `count` largest positive values, largest
    /// first; ties keep the earlier position first. One pass, no sort.
    static func largestPositive(count: Int, of values: ArraySlice<Double>) -> [Int] {
        var picked: [(position: Int, value: Double)] = []
        picked.reserveCapacity(count + 1)
        for (position, value) in zip(0..., values) where value > 0 {
            guard picked.count < count || value > picked[picked.count - 1].value else { continue }
            var slot = picked.count
            while slot > 0 && picked[slot - 1].value < value { slot -= 1 }
            picked.insert((position, value), at: slot)
            if picked.count > count { picked.removeLast() }
        }
        return picked.map(\.position)
    }

    /// `reasons.csv`: `ID`, `p_pos`, then `reason_k`, `value_k`, `contribution_k` for k = 1…3 (blank when fewer).
    static func csv(_ viewers: [ViewerReasons]) -> CSVTable {
        let columns = ["ID", "p_pos"] + (1 ... reasonCount).flatMap { ["reason_\($0)", "value_\($0)", "contribution_\($0)"] }
        let rows = viewers.map { viewer -> [String] in
            var row = [viewer.id, String(format: "%.6f", viewer.probability)]
            for k in 0 ..< reasonCount {
                guard k < viewer.reasons.count else { row += ["", "", ""]; continue }
                let reason = viewer.reasons[k]
                row += [reason.name, ExplainFormat.featureValue(reason.value), String(format: "%.6f", reason.contribution)]
            }
            return row
        }
        return CSVTable(columns: columns, rows: rows)
    }
}
