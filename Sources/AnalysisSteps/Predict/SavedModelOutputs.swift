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
    /// The features the models read, with the models step's out-of-fold blocks appended.
    var inputs: ModelInputs
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
        inputs = try context.phase("load features") {
            try ModelArtifacts.loadInputs(featuresDirectory: try context.upstreamArtifacts(FeaturesStep.self),
                                          modelsDirectory: modelsDirectory, labels: labels)
        }
        guard inputs.denseTest.matrix.rowCount == data.test.userCount else {
            throw ModelsStepError.rowMismatch("the saved features have \(inputs.denseTest.matrix.rowCount) test rows, the data \(data.test.userCount)")
        }
        finalTestScores = try Self.finalTestScores(choice: choice, modelsDirectory: modelsDirectory, testCount: data.test.userCount)
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
