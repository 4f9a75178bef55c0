import Core
import FeatureEngineering
import Foundation
import Learning
import Pipeline
import SegmentData

/// What the models step chose and saved, read back by the steps that use the chosen model (predict, explain).
struct SavedModelOutputs {
    var data: WatchData
    /// Train labels (0/1, `pos` = 1).
    var labels: [UInt8]
    var modelsDirectory: URL
    var choice: ModelChoice
    /// The test users' dense features as the models read them (the features step's columns, then the
    /// models step's dense blocks such as the title statistics).
    var testFeatures: DenseMatrix
    /// The final P(pos) of every test user, in test-file order.
    var finalTestScores: [Double]

    /// Reads the data, the models step's choice and test scores, and the features (phase "load features").
    /// The step must declare `FeaturesStep` and `ModelsStep` upstream.
    init(context: StepContext) throws {
        data = try context.data()
        guard let labels = data.train.labels else { throw ModelsStepError.unlabelledTrain }
        self.labels = labels
        let modelsDirectory = try context.upstreamArtifacts(ModelsStep.self)
        self.modelsDirectory = modelsDirectory
        choice = try ModelArtifacts.readChoice(from: modelsDirectory)
        let featuresDirectory = try context.upstreamArtifacts(FeaturesStep.self)
        testFeatures = try context.phase("load test features") {
            try Self.loadTestFeatures(featuresDirectory: featuresDirectory, modelsDirectory: modelsDirectory)
        }
        guard testFeatures.rowCount == data.test.userCount else {
            throw ModelsStepError.rowMismatch("the saved features have \(testFeatures.rowCount) test rows, the data \(data.test.userCount)")
        }
        finalTestScores = try Self.finalTestScores(choice: choice, modelsDirectory: modelsDirectory, testCount: data.test.userCount)
    }

    /// Only the test rows of the dense inputs (the train rows and the TF-IDF matrices are not needed
    /// to explain or score test users): `dense-test.bin`, then each block the models step lists in
    /// `dense-blocks.json` (the title statistics, `title-target-test.bin`, when there is no list).
    static func loadTestFeatures(featuresDirectory: URL, modelsDirectory: URL) throws -> DenseMatrix {
        func read(_ url: URL) throws -> FeatureSet {
            guard FileManager.default.fileExists(atPath: url.path) else { throw ModelsStepError.missingArtifact(url.path) }
            return try MatrixArtifact.readFeatureSet(from: url).features
        }
        var features = try read(featuresDirectory.appendingPathComponent(FeatureArtifacts.denseTestFile))
        let list = modelsDirectory.appendingPathComponent("dense-blocks.json")
        let blocks = FileManager.default.fileExists(atPath: list.path)
            ? try JSONDecoder().decode([String].self, from: Data(contentsOf: list)) : ["title-target"]
        for block in blocks {
            let part = try read(modelsDirectory.appendingPathComponent("\(block)-test.bin"))
            guard part.matrix.rowCount == features.matrix.rowCount else {
                throw ModelsStepError.rowMismatch("\(block)-test.bin has \(part.matrix.rowCount) rows, the test features \(features.matrix.rowCount)")
            }
            features = features.appending(part)
        }
        return features.matrix
    }

    /// The chosen model's fold-averaged test scores (the stack combines its base models' fold-averaged
    /// scores). Nothing is refitted.
    static func finalTestScores(choice: ModelChoice, modelsDirectory: URL, testCount: Int) throws -> [Double] {
        let components: [CandidateModel] = choice.best == .stack ? choice.stack.baseModels : [choice.best]
        let componentScores = try ModelArtifacts.readTestScores(from: modelsDirectory, candidates: components)
        guard componentScores.allSatisfy({ $0.count == testCount }) else {
            throw ModelsStepError.rowMismatch("the saved test scores do not have \(testCount) rows")
        }
        return choice.best == .stack ? choice.stack.predict(componentScores) : componentScores[0]
    }
}
