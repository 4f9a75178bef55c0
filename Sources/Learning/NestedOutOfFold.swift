import Core
import Foundation

/// A problem with nested out-of-fold settings or data, naming the bad value.
public enum NestedOutOfFoldError: Error, Equatable, CustomStringConvertible {
    case negativeGroup(row: Int, group: Int)
    case tooManyGroups(Int)
    case labelCountMismatch(labelCount: Int, rowCount: Int)
    case rowOutOfRange(row: Int, rowCount: Int)
    case oneInnerGroup(group: Int?)
    case modelRowMismatch(name: String, rowCount: Int, expected: Int)
    case repeatedModelName(String)
    case badModel(name: String, reason: String)

    public var description: String {
        switch self {
        case let .negativeGroup(row, group): "nested out-of-fold: the group of row \(row) is \(group); groups must be ≥ 0"
        case .tooManyGroups(let count): "nested out-of-fold: \(count) groups; at most 64 are supported"
        case let .labelCountMismatch(labels, rows): "nested out-of-fold: \(labels) labels for \(rows) grouped rows"
        case let .rowOutOfRange(row, rows): "nested out-of-fold: row \(row) is outside 0..<\(rows)"
        case .oneInnerGroup(let group):
            "nested out-of-fold: the training rows hold \(group.map { "only group \($0)" } ?? "no group"); an inner split needs two"
        case let .modelRowMismatch(name, rows, expected): "nested out-of-fold: text model '\(name)' has \(rows) train rows, expected \(expected)"
        case .repeatedModelName(let name): "nested out-of-fold: two text models are named '\(name)'"
        case let .badModel(name, reason): "nested out-of-fold: text model '\(name)': \(reason)"
        }
    }
}

/// Nested out-of-fold scores of text models, to feed a second-level learner (stacking) without a leak.
///
/// For a fit on `trainRows` that scores `scoredRows` (an outer cross-validation fold), the training
/// rows are split by their *group* (the inner split): a training row of group `j` is scored by a
/// text model fitted on the training rows outside group `j`, so no row's column was shaped by its own
/// label; the scored rows and the test rows are scored by a text model fitted on all training rows,
/// so they never shaped their own columns either. Passing the outer fold assignment as the groups
/// reuses the outer folds as the inner split (as the title statistics do): inside outer fold `k`,
/// a row of fold `j ≠ k` is scored by the fit without folds `j` and `k`. With a ``NestedFitCache``,
/// each distinct set of left-out groups is fitted once per text model: 10 pair fits and 5 single
/// fits cover all five outer folds (and the inner split of a fit on every row).
public struct NestedOutOfFold: Sendable {
    /// The inner group of every train-set row.
    public let groupOf: [Int]
    /// `max(groupOf) + 1`.
    public let groupCount: Int

    public init(groupOf: [Int]) throws(NestedOutOfFoldError) {
        if let row = groupOf.firstIndex(where: { $0 < 0 }) { throw .negativeGroup(row: row, group: groupOf[row]) }
        let count = (groupOf.max() ?? -1) + 1
        guard count <= 64 else { throw .tooManyGroups(count) }
        self.groupOf = groupOf
        self.groupCount = count
    }

    /// How the scored rows and the test rows get their columns.
    public enum ScoredRowsModel: String, Sendable, Codable, CaseIterable {
        /// A text model fitted on all the training rows (one more fit per outer fold).
        case fitOnAllTrainingRows
        /// The mean log-odds of the inner fits (no further fit): the scored rows' columns then come
        /// from models fitted on as many rows as the training rows' columns, so both have one scale.
        case averageOfInnerFits
    }

    /// One text model's scores for one outer fit.
    public struct Columns: Sendable, Equatable {
        /// One score per training row, in `trainRows` order, from the fit without the row's group.
        public var train: [Double]
        /// One score per scored row, in `scoredRows` order (see ``ScoredRowsModel``).
        public var scored: [Double]
        /// Every test row's score, as the scored rows' (when asked for).
        public var test: [Double]?
    }

    /// One fit of a text model: its rows, the groups it leaves out (its cache key, when the rows are
    /// exactly the rows of the other groups) and the training-row positions it scores (none: the full fit).
    struct Plan: Sendable {
        var fitRows: [Int]
        var leftOutGroups: UInt64?
        var trainPositions: [Int]?
    }

    /// The inner fits (one per group present among `trainRows`) and, with `fullFit`, last the fit on all of them.
    func plans(trainRows: [Int], fullFit: Bool) throws(NestedOutOfFoldError) -> [Plan] {
        var positions = [[Int]](repeating: [], count: groupCount)
        for (position, row) in trainRows.enumerated() {
            guard row >= 0, row < groupOf.count else { throw .rowOutOfRange(row: row, rowCount: groupOf.count) }
            positions[groupOf[row]].append(position)
        }
        let present = (0 ..< groupCount).filter { !positions[$0].isEmpty }
        guard present.count >= 2 else { throw .oneInnerGroup(group: present.first) }
        var presentMask: UInt64 = 0
        for g in present { presentMask |= 1 << UInt64(g) }
        // The rows are "all rows of the present groups" when the counts agree: then a set of left-out groups names them.
        let rowsOfPresent = present.reduce(0) { total, g in total + groupSizes[g] }
        let aligned = rowsOfPresent == trainRows.count
        let absent = ~presentMask & (groupCount == 64 ? ~0 : (1 << UInt64(groupCount)) - 1)
        var plans = present.map { g in
            Plan(fitRows: trainRows.filter { groupOf[$0] != g }, leftOutGroups: aligned ? absent | 1 << UInt64(g) : nil,
                 trainPositions: positions[g])
        }
        if fullFit { plans.append(Plan(fitRows: trainRows, leftOutGroups: aligned ? absent : nil, trainPositions: nil)) }
        return plans
    }

    /// Rows per group.
    var groupSizes: [Int] {
        groupOf.reduce(into: [Int](repeating: 0, count: groupCount)) { $0[$1] += 1 }
    }

    /// Nested scores (log-odds) of every text model for a fit on `trainRows` that scores `scoredRows`
    /// (and every test row when `scoreTest`). Fits run concurrently; with `cache`, fits on the same
    /// left-out groups are reused across calls (same results as without the cache).
    public func columns(models: [NestedTextModel], labels: [UInt8], trainRows: [Int], scoredRows: [Int],
                        scoreTest: Bool, scoredBy: ScoredRowsModel = .fitOnAllTrainingRows,
                        cache: NestedFitCache? = nil) throws -> [Columns] {
        try validate(models: models, labels: labels, scoredRows: scoredRows)
        let plans = try plans(trainRows: trainRows, fullFit: scoredBy == .fitOnAllTrainingRows)
        // The scope is part of every key too: callers sharing one cache concurrently on different data
        // may empty each other's fits but never read each other's.
        let cacheScope = cache.map { cache in
            let scope = scope(models: models, labels: labels)
            cache.enter(scope: scope)
            return scope
        }
        let tasks = models.indices.flatMap { m in plans.indices.map { (m, $0) } }
        let fitted = parallelMap(count: tasks.count) { t -> Result<SparseLinearScorer, any Error> in
            let (model, plan) = (models[tasks[t].0], plans[tasks[t].1])
            return Result { try Self.fit(model, plan: plan, labels: labels, cache: cache, scope: cacheScope ?? 0) }
        }
        return try models.indices.map { m in
            var train = [Double](repeating: .nan, count: trainRows.count)
            var scorers: [SparseLinearScorer] = []
            for (p, plan) in plans.enumerated() {
                let scorer = try fitted[m * plans.count + p].get()
                guard let positions = plan.trainPositions else { scorers = [scorer]; continue }
                if scoredBy == .averageOfInnerFits { scorers.append(scorer) }
                let scores = scorer.logOdds(models[m].train.rows(positions.map { trainRows[$0] }))
                for (i, position) in positions.enumerated() { train[position] = scores[i] }
            }
            let scoring = SparseLinearScorer.mean(of: scorers)
            return Columns(train: train, scored: scoring.logOdds(models[m].train.rows(scoredRows)),
                           test: scoreTest ? scoring.logOdds(models[m].test) : nil)
        }
    }

    /// One plan's fit, from the cache when it holds it.
    static func fit(_ model: NestedTextModel, plan: Plan, labels: [UInt8], cache: NestedFitCache?,
                    scope: UInt64 = 0) throws -> SparseLinearScorer {
        let key = plan.leftOutGroups.map { "\(scope)|\(model.name)|\(model.learner)|\($0)" }
        if let key, let cached = cache?.fit(key) { return cached }
        let scorer = try model.learner.fit(features: model.train.rows(plan.fitRows), labels: plan.fitRows.map { labels[$0] })
        if let key { cache?.store(scorer, key: key) }
        return scorer
    }

    func validate(models: [NestedTextModel], labels: [UInt8], scoredRows: [Int]) throws(NestedOutOfFoldError) {
        guard labels.count == groupOf.count else { throw .labelCountMismatch(labelCount: labels.count, rowCount: groupOf.count) }
        if let bad = scoredRows.first(where: { $0 < 0 || $0 >= groupOf.count }) { throw .rowOutOfRange(row: bad, rowCount: groupOf.count) }
        var names = Set<String>()
        for model in models {
            guard model.train.rowCount == groupOf.count else {
                throw .modelRowMismatch(name: model.name, rowCount: model.train.rowCount, expected: groupOf.count)
            }
            guard names.insert(model.name).inserted else { throw .repeatedModelName(model.name) }
        }
    }

    /// The cache scope: labels, groups and each text model's name, learner and training matrix.
    func scope(models: [NestedTextModel], labels: [UInt8]) -> UInt64 {
        var hasher = ScopeHasher()
        hasher.combine(labels)
        hasher.combine(groupOf)
        for model in models {
            hasher.combine(model.name)
            hasher.combine(model.learner.description)
            hasher.combine(model.train)
        }
        return hasher.value
    }
}
