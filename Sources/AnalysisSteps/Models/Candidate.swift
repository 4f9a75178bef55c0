import FeatureEngineering
import Foundation
import Learning

/// The id of a candidate model: a string in `choice.json`, `test-scores.json`, CSV tables and file names.
public struct CandidateID: RawRepresentable, Hashable, Codable, Sendable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible {
    public var rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }
    public static func < (lhs: CandidateID, rhs: CandidateID) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The catalog entry with this id (the stack included), if there is one.
    public var entry: (any CandidateDescription)? { ModelCatalog.description(of: self) }
    /// Name shown in tables and legends (the id itself for an id the catalog does not know).
    public var displayName: String { entry?.displayName ?? rawValue }
    /// What the model reads, for the report.
    public var inputDescription: String { entry?.inputDescription ?? "" }
    /// Whether the model is a gradient-boosting model (has gain importance and fold models for the importance step).
    public var isBoosting: Bool { entry?.isBoosting ?? false }
    /// The dense feature families the model reads; the record id (`.identity`) only when `includeRecordID`.
    public func denseFamilies(includeRecordID: Bool) -> Set<FeatureFamily> {
        entry?.denseFamilies(includeRecordID: includeRecordID) ?? []
    }
    /// Whether the model reads `family` when the record id is allowed (for the leak-check label).
    func reads(_ family: FeatureFamily) -> Bool { denseFamilies(includeRecordID: true).contains(family) }
}

/// The former name of ``CandidateID`` (kept so code written against the enum still reads the same).
public typealias CandidateModel = CandidateID

/// What the report says about a model: its id, names and what it reads.
public protocol CandidateDescription: Sendable {
    var id: CandidateID { get }
    /// Name shown in tables and legends.
    var displayName: String { get }
    /// What the model reads, for the report.
    var inputDescription: String { get }
    /// Whether the model is a gradient-boosting model (has gain importance). Default `false`.
    var isBoosting: Bool { get }
    /// The dense feature families the model reads. Default: none.
    func denseFamilies(includeRecordID: Bool) -> Set<FeatureFamily>
}

extension CandidateDescription {
    public var isBoosting: Bool { false }
    public func denseFamilies(includeRecordID: Bool) -> Set<FeatureFamily> { [] }
}

/// A model the models step cross-validates on the shared folds: fitted on train rows, it scores other rows.
///
/// Every candidate is fitted on rows of the train set and scores rows of the train or the test set
/// through ``ModelInputs``, so the models step (out-of-fold) and any later step fit it the same way.
/// To add a model, write a struct conforming to this protocol and add one line to ``ModelCatalog/candidates``.
public protocol Candidate: CandidateDescription {
    /// Whether the stack combines this model's out-of-fold predictions. Default `true`.
    var joinsStack: Bool { get }
    /// Fits on `trainRows` (train-set rows) and scores `scoring`; with `scoreTest`, also every test row.
    func fit(inputs: ModelInputs, settings: ModelSettings, trainRows: [Int], scoring: ScoredRows,
             scoreTest: Bool) throws -> CandidateFit
}

extension Candidate {
    public var joinsStack: Bool { true }
}

/// Which rows a fitted candidate scores.
public enum ScoredRows: Sendable {
    /// The given rows of the train set (validation fold).
    case train([Int])
    /// Every test row.
    case test
}

/// A fitted candidate's scores and, for boosting, its model.
public struct CandidateFit: Sendable {
    public var scores: [Double]
    /// Scores of every test row by the same fitted model, when asked for (`scoreTest`).
    public var testScores: [Double]?
    public var boostingModel: GradientBoostingModel?
    /// Column names the dense model read (for importance).
    public var featureNames: [String]

    public init(scores: [Double], testScores: [Double]? = nil, boostingModel: GradientBoostingModel? = nil,
                featureNames: [String] = []) {
        self.scores = scores
        self.testScores = testScores
        self.boostingModel = boostingModel
        self.featureNames = featureNames
    }
}
