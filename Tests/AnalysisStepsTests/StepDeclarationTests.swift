import Foundation
import Learning
import Pipeline
import Testing
@testable import AnalysisSteps

/// Every stored property of `GradientBoostingParameters` (found by `Mirror`, so a new field is
/// covered without editing this test), each changed in turn, changes the models step's fingerprint.
@Test func changingAnyBoostingParameterChangesTheModelsFingerprint() throws {
    let runner = StepRegistry.runner(options: StepOptions(out: "unused-reports"))
    let standard = ModelSettings.standard(seed: 0)
    let baseStep = ModelsStep()
    let base = try runner.fingerprint(of: baseStep, inputs: [], upstream: ["features": "content:x"])
    let labels = Mirror(reflecting: standard.boosting).children.compactMap(\.label)
    #expect(labels.count >= 16, "GradientBoostingParameters has \(labels.count) fields")
    var seen = Set<String>()
    for label in labels {
        var step = ModelsStep()
        step.settings = try changed(standard, field: label)
        #expect(step.settings?.boosting != standard.boosting, "\(label) did not change")
        let fingerprint = try runner.fingerprint(of: step, inputs: [], upstream: ["features": "content:x"])
        #expect(fingerprint != base, "changing boosting.\(label) does not change the models fingerprint")
        seen.insert(fingerprint)
    }
    #expect(seen.count == labels.count, "every parameter change gives its own fingerprint")
}

/// `settings` with the boosting field `field` changed (through its JSON form, nil optionals set).
private func changed(_ settings: ModelSettings, field: String) throws -> ModelSettings {
    var object = try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(settings)) as? [String: Any])
    var boosting = try #require(object["boosting"] as? [String: Any])
    if let number = boosting[field] as? NSNumber {
        let value = number.doubleValue
        boosting[field] = value == value.rounded() ? NSNumber(value: Int64(value) + 1) : NSNumber(value: value + 0.05)
    } else if field == "gradientOneSideSampling" {
        // The one optional that is an object: set when nil, else a different top rate.
        boosting[field] = boosting[field] == nil ? ["topRate": 0.2, "otherRate": 0.1] : ["topRate": 0.3, "otherRate": 0.1]
    } else {
        boosting[field] = 3  // an optional that was nil
    }
    object["boosting"] = boosting
    return try JSONDecoder().decode(ModelSettings.self, from: JSONSerialization.data(withJSONObject: object))
}

@Test func theTitleSmoothingAndOtherLearnerSettingsChangeTheModelsFingerprint() throws {
    let runner = StepRegistry.runner(options: StepOptions(out: "unused-reports"))
    let base = try runner.fingerprint(of: ModelsStep(), inputs: [], upstream: [:])
    var smoothing = ModelsStep(); smoothing.titleTargetSmoothing = 10
    var folds = ModelsStep(); folds.settings = .standard(seed: 0); folds.settings?.foldCount = 4
    var alpha = ModelsStep(); alpha.settings = .standard(seed: 0); alpha.settings?.naiveBayesAlpha = 1
    for step in [smoothing, folds, alpha] {
        #expect(try runner.fingerprint(of: step, inputs: [], upstream: [:]) != base)
    }
    var same = ModelsStep(); same.settings = .standard(seed: 0)
    #expect(try runner.fingerprint(of: same, inputs: [], upstream: [:]) == base, "the default settings are .standard(seed: 0)")
}

@Test func stepsThatReadFeaturesDeclareIt() {
    for step in [ImportanceStep.self, PredictStep.self, ModelsStep.self] as [any AnalysisStep.Type] {
        #expect(step.upstreamNames.contains(FeaturesStep.name), "\(step.name) reads the features artifacts")
    }
    #expect(ImportanceStep.upstreamNames == ["features", "models"])
    #expect(FeaturesStep.upstreamNames == ["clustering"])
}

@Test func theListingNamesEveryStepAndItsUpstream() {
    let lines = StepRegistry.listing.split(separator: "\n")
    #expect(lines.count == StepRegistry.steps.count)
    #expect(lines.contains { $0.hasPrefix("predict") && $0.hasSuffix("(needs features, models)") })
}
