// swift-tools-version: 6.0
import Foundation
import PackageDescription

/// The numeric modules are optimised even in debug builds, so that `swift run analyze`
/// and `swift test` (both debug) stay fast at full scale. `-O` overrides SwiftPM's `-Onone`.
let optimized: [SwiftSetting] = [.unsafeFlags(["-O"], .when(configuration: .debug))]

let argumentParser: Target.Dependency = .product(name: "ArgumentParser", package: "swift-argument-parser")

/// One thin executable per analysis step (the swift-argument-parser `Examples/` pattern):
/// the step's logic lives in `AnalysisSteps`, so `analyze` can run every step in one process.
/// Folders of `analyses/` that are tools, not analysis steps.
let toolExecutables: Set<String> = ["generate-data", "benchmark", "benchmark-loader", "chart-gallery"]

/// The step executables (and `analyze`): every other folder of `analyses/`, so adding a step
/// needs no line here.
let stepExecutables: [String] = {
    let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("analyses")
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return entries.filter { entry in
        !toolExecutables.contains(entry)
            && FileManager.default.fileExists(atPath: folder.appendingPathComponent(entry).appendingPathComponent("main.swift").path)
    }.sorted()
}()

func step(_ name: String) -> Target {
    .executableTarget(
        name: name,
        dependencies: ["AnalysisSteps", "Pipeline", argumentParser],
        path: "analyses/\(name)"
    )
}

let package = Package(
    name: "PredictTheSegment",
    platforms: [.macOS(.v13)],
    products: [
        .library(name: "Core", targets: ["Core"]),
        .library(name: "SegmentData", targets: ["SegmentData"]),
        .library(name: "Learning", targets: ["Learning"]),
        .library(name: "Charts", targets: ["Charts", "ChartRenderer"]),
        .executable(name: "analyze", targets: ["analyze"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: stepExecutables.map(step) + [
        // System libraries (C). Only `ChartRenderer` imports CGD; only `SegmentData` imports CZlib.
        .systemLibrary(name: "CGD", path: "Sources/CGD", pkgConfig: "gdlib", providers: [.apt(["libgd-dev"])]),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Foundation shared by every module: seeded generators, parallel loops and result slots, the
        // worker pool, the core count, atomic file writing, dense and sparse matrices.
        .target(name: "Core", swiftSettings: optimized),

        // Data: the columnar data set and the strict, fast loader for the competition's JSON.
        .target(name: "SegmentData", dependencies: ["Core", "CZlib"], swiftSettings: optimized),
        // The built-in, deterministic stand-in for the competition files.
        .target(name: "SyntheticData", dependencies: ["Core", "SegmentData"], swiftSettings: optimized),
        // Charts: declarative marks, scales, axes and layout (pure Swift, no libgd).
        .target(name: "Charts", swiftSettings: optimized),
        // The one module that draws through libgd and writes PNG.
        .target(name: "ChartRenderer", dependencies: ["Core", "Charts", "CGD"], swiftSettings: optimized),
        // Learners: gradient boosting, logistic regression, naive Bayes, k-means, PCA, cross-validation.
        .target(name: "Learning", dependencies: ["Core", "Evaluation"], swiftSettings: optimized),
        // Metrics: ROC AUC, log-loss, Brier, precision-recall, calibration, gain and lift.
        .target(name: "Evaluation", swiftSettings: optimized),
        // Features engineered from watch histories.
        .target(name: "FeatureEngineering", dependencies: ["Core", "SegmentData", "Evaluation", "Learning"], swiftSettings: optimized),
        // Steps, manifest, fingerprints, atomic outputs, progress, timings, shared options (knows no data set).
        .target(name: "Pipeline", dependencies: ["Core", "Reporting", argumentParser]),
        // Section documents written by steps, and the HTML / Markdown report built from them.
        .target(name: "Reporting", dependencies: ["Core"]),
        // The analysis steps themselves (EDA, clustering, features, models, importance, predict, report).
        .target(
            name: "AnalysisSteps",
            dependencies: ["Core", "SegmentData", "SyntheticData", "Charts", "ChartRenderer", "Learning", "Evaluation",
                           "FeatureEngineering", "Pipeline", "Reporting", argumentParser],
            swiftSettings: optimized
        ),

        // Tool executables under analyses/ (the step executables come from `stepExecutables`).
        .executableTarget(name: "generate-data", dependencies: ["SyntheticData", "SegmentData", argumentParser], path: "analyses/generate-data"),
        .executableTarget(name: "benchmark", dependencies: ["Core", "Learning", "Evaluation", "SegmentData", argumentParser], path: "analyses/benchmark", swiftSettings: optimized),
        .executableTarget(name: "benchmark-loader", dependencies: ["SegmentData", argumentParser], path: "analyses/benchmark-loader", swiftSettings: optimized),
        .executableTarget(name: "chart-gallery", dependencies: ["Core", "Charts", "ChartRenderer", argumentParser], path: "analyses/chart-gallery"),

        // Tests (Swift Testing).
        .testTarget(name: "CoreTests", dependencies: ["Core"]),
        .testTarget(name: "SegmentDataTests", dependencies: ["Core", "SegmentData"], resources: [.copy("Fixtures")]),
        .testTarget(name: "SyntheticDataTests", dependencies: ["Core", "SyntheticData", "SegmentData", "Learning", "Evaluation"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "ChartRenderer", "CGD"]),
        .testTarget(name: "LearningTests", dependencies: ["Core", "Learning", "Evaluation"], resources: [.copy("Fixtures")]),
        .testTarget(name: "EvaluationTests", dependencies: ["Core", "Evaluation"]),
        .testTarget(name: "PipelineTests", dependencies: ["Core", "Pipeline", "Reporting"]),
        .testTarget(name: "ReportingTests", dependencies: ["Reporting"]),
        .testTarget(name: "FeatureEngineeringTests", dependencies: ["Core", "FeatureEngineering", "SegmentData", "Learning", "Evaluation"]),
        .testTarget(name: "AnalysisStepsTests", dependencies: ["Core", "AnalysisSteps", "Pipeline", "Reporting", "SyntheticData", "SegmentData", "CGD"]),
    ]
)
