import FeatureEngineering
import Foundation
import Learning

/// The training positive rate for everyone (AUC 0.5 by construction; the log-loss floor).
public struct PriorCandidate: Candidate {
    public let id: CandidateID = .prior
    public let displayName = "Prior (constant)"
    public let inputDescription = "nothing (the training positive rate)"
    public var joinsStack: Bool { false }

    public init() {}

    public func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring: ScoredRows,
                    scoreTest: Bool) throws -> CandidateFit {
        let positiveCount = trainRows.reduce(0) { $0 + Int(inputs.labels[$1]) }
        let rate = Double(positiveCount) / Double(max(1, trainRows.count))
        let testCount = inputs.denseTest.matrix.rowCount
        return CandidateFit(scores: [Double](repeating: rate, count: inputs.rowCount(of: scoring)),
                            testScores: scoreTest ? [Double](repeating: rate, count: testCount) : nil)
    }
}

/// The profile families every dense profile model reads (no titles, no clusters, no record id).
let profileFamilies: Set<FeatureFamily> = [.totals, .genreSeconds, .genreShares, .hourShares, .dayShares, .timeOfDay, .diversity]

/// A candidate that reads dense columns picked by family; it only says how to fit them.
public protocol DenseColumnsCandidate: Candidate {
    /// The families read; `.identity` (the record id) is added only when the settings allow it and ``readsRecordID``.
    var families: Set<FeatureFamily> { get }
    var readsRecordID: Bool { get }
    /// Fits on `design.train` and scores `design.scored` (and `design.test` when there).
    func fit(design: DenseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit
}

extension DenseColumnsCandidate {
    public func denseFamilies(includeRecordID: Bool) -> Set<FeatureFamily> {
        includeRecordID && readsRecordID ? families.union([.identity]) : families
    }

    public func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring: ScoredRows,
                    scoreTest: Bool) throws -> CandidateFit {
        let design = inputs.denseDesign(families: denseFamilies(includeRecordID: settings.includeRecordID),
                                        trainRows: trainRows, scoring: scoring, scoreTest: scoreTest)
        return try fit(design: design, labels: trainRows.map { inputs.labels[$0] }, settings: settings)
    }
}

/// A candidate that reads one sparse block of ``ModelInputs``; it only says how to fit it.
public protocol SparseBlockCandidate: Candidate {
    /// The ``ModelInputs`` sparse block read (`tokens`, `titles` or an added one).
    var blockName: String { get }
    /// Fits on `design.train` and scores `design.scored` (and `design.test` when there).
    func fit(design: SparseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit
}

extension SparseBlockCandidate {
    public func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring: ScoredRows,
                    scoreTest: Bool) throws -> CandidateFit {
        let design = inputs.sparseDesign(try inputs.sparseBlock(named: blockName), trainRows: trainRows,
                                         scoring: scoring, scoreTest: scoreTest)
        return try fit(design: design, labels: trainRows.map { inputs.labels[$0] }, settings: settings)
    }
}

/// L2 logistic regression on standardised dense columns of some families.
public struct DenseLogisticCandidate: DenseColumnsCandidate {
    public let id: CandidateID, displayName: String, inputDescription: String
    public let families: Set<FeatureFamily>, readsRecordID: Bool

    public init(id: CandidateID, displayName: String, inputDescription: String, families: Set<FeatureFamily>, readsRecordID: Bool) {
        (self.id, self.displayName, self.inputDescription) = (id, displayName, inputDescription)
        (self.families, self.readsRecordID) = (families, readsRecordID)
    }

    public func fit(design: DenseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit {
        let model = try LogisticRegression(inverseRegularization: settings.profileC, standardize: true,
                                           gradientTolerance: settings.profileGradientTolerance, memoryCount: settings.lbfgsMemoryCount)
            .fit(features: design.train, labels: labels)
        return CandidateFit(scores: model.predictProbability(design.scored), testScores: design.test.map(model.predictProbability),
                            featureNames: design.columnNames)
    }
}

/// Gradient boosting (LightGBM's algorithm, ``ModelSettings/boosting``) on dense columns of some families.
public struct BoostingCandidate: DenseColumnsCandidate {
    public let id: CandidateID, displayName: String, inputDescription: String
    public let families: Set<FeatureFamily>, readsRecordID: Bool
    public var isBoosting: Bool { true }

    public init(id: CandidateID, displayName: String, inputDescription: String, families: Set<FeatureFamily>, readsRecordID: Bool) {
        (self.id, self.displayName, self.inputDescription) = (id, displayName, inputDescription)
        (self.families, self.readsRecordID) = (families, readsRecordID)
    }

    /// Fits on the run's shared bins (``ModelInputs/denseBins(for:)``): the fold's rows and this model's
    /// columns are selected from the bytes, and the scored and test rows are scored from bins too.
    public func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring: ScoredRows,
                    scoreTest: Bool) throws -> CandidateFit {
        let bins = try inputs.denseBins(for: settings.boosting)
        let columns = inputs.denseTrain.columns(of: denseFamilies(includeRecordID: settings.includeRecordID))
        let model = try GradientBoostingClassifier(parameters: settings.boosting)
            .fit(binned: bins.train.selecting(rows: trainRows, columns: columns), labels: trainRows.map { inputs.labels[$0] })
        let scores = try model.predictProbability(binned: bins.rows(scoring, columns: columns))
        let testScores = scoreTest ? try model.predictProbability(binned: bins.test.selecting(columns: columns)) : nil
        return CandidateFit(scores: scores, testScores: testScores, boostingModel: model, featureNames: model.featureNames)
    }

    /// Fits on raw columns (its own bins, fitted on `design.train`).
    public func fit(design: DenseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit {
        let model = try GradientBoostingClassifier(parameters: settings.boosting).fit(features: design.train, labels: labels)
        return CandidateFit(scores: model.predictProbability(design.scored), testScores: design.test.map(model.predictProbability),
                            boostingModel: model, featureNames: design.columnNames)
    }
}

/// L2 logistic regression on a sparse block (unit-length TF-IDF rows; not standardised).
public struct SparseLogisticCandidate: SparseBlockCandidate {
    public let id: CandidateID, displayName: String, inputDescription: String, blockName: String

    public init(id: CandidateID, displayName: String, inputDescription: String, blockName: String) {
        (self.id, self.displayName, self.inputDescription, self.blockName) = (id, displayName, inputDescription, blockName)
    }

    public func fit(design: SparseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit {
        let model = try LogisticRegression(inverseRegularization: settings.tokensC, standardize: false,
                                           memoryCount: settings.lbfgsMemoryCount)
            .fit(features: design.train, labels: labels)
        return CandidateFit(scores: model.predictProbability(design.scored), testScores: design.test.map(model.predictProbability))
    }
}

/// Complement naive Bayes on a sparse block.
public struct NaiveBayesCandidate: SparseBlockCandidate {
    public let id: CandidateID, displayName: String, inputDescription: String, blockName: String

    public init(id: CandidateID, displayName: String, inputDescription: String, blockName: String) {
        (self.id, self.displayName, self.inputDescription, self.blockName) = (id, displayName, inputDescription, blockName)
    }

    public func fit(design: SparseDesign, labels: [UInt8], settings: ModelSettings) throws -> CandidateFit {
        let model = try NaiveBayes(kind: .complement, smoothing: settings.naiveBayesAlpha).fit(features: design.train, labels: labels)
        return CandidateFit(scores: model.predictProbability(design.scored), testScores: design.test.map(model.predictProbability))
    }
}

/// The stack's catalog entry: it is fitted by the models step from the other models' out-of-fold predictions.
public struct StackDescription: CandidateDescription {
    public let id: CandidateID = .stack
    public let displayName = "Stack of the above"
    public let inputDescription = "logits of the base models' out-of-fold predictions"

    public init() {}
}
