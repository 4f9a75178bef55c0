import Foundation

/// A step whose section the report shows, in report order.
public struct ReportedStep: Sendable, Equatable {
    public var name: String
    public var title: String
    public init(name: String, title: String) {
        self.name = name
        self.title = title
    }
}

/// A step's place in the report: its document, or why there is none.
public struct SectionSlot: Sendable, Equatable {
    public enum State: Sendable, Equatable {
        case ready(SectionDocument)
        /// `section.json` does not exist: the step has not run yet.
        case notRun
        /// `section.json` exists but cannot be decoded.
        case unreadable(String)
    }

    public var step: ReportedStep
    public var state: State

    public init(step: ReportedStep, state: State) {
        self.step = step
        self.state = state
    }

    /// The document when ready.
    public var document: SectionDocument? {
        if case let .ready(document) = state { return document }
        return nil
    }
}

/// A label and its value (a row of a two-column facts table).
public struct Fact: Sendable, Equatable {
    public var label: String
    public var value: String
    public init(_ label: String, _ value: String) {
        self.label = label
        self.value = value
    }
}

/// The data set as loaded, for the report's data and data-quality section.
public struct DataOverview: Sendable, Equatable {
    /// Headline facts (users, positive rate, distinct names, parse time).
    public var facts: [Fact]
    /// Coverage table: field, train share, test share (already formatted).
    public var coverageRows: [[String]]
    /// Skipped records per file.
    public var skipped: [Fact]
    /// The first few skip reasons.
    public var skippedExamples: [String]
    /// Other facts worth knowing about the data's quality (empty fields, zero-second entries).
    public var qualityNotes: [String]

    public init(facts: [Fact], coverageRows: [[String]], skipped: [Fact], skippedExamples: [String],
                qualityNotes: [String] = []) {
        self.facts = facts
        self.coverageRows = coverageRows
        self.skipped = skipped
        self.skippedExamples = skippedExamples
        self.qualityNotes = qualityNotes
    }
}

/// How the report was produced: versions, configuration, input hashes, timings, caching.
public struct ReproductionInfo: Sendable, Equatable {
    /// One step's run record.
    public struct StepRun: Sendable, Equatable {
        public var name: String
        public var title: String
        public var ranInLastRun: Bool
        public var version: Int
        public var seed: String
        public var fingerprint: String
        public var finishedAt: String
        public var wallSeconds: Double
        public var phases: [(name: String, seconds: Double)]
        public var configuration: [Fact]

        public init(name: String, title: String, ranInLastRun: Bool, version: Int, seed: String, fingerprint: String,
                    finishedAt: String, wallSeconds: Double, phases: [(name: String, seconds: Double)],
                    configuration: [Fact]) {
            self.name = name
            self.title = title
            self.ranInLastRun = ranInLastRun
            self.version = version
            self.seed = seed
            self.fingerprint = fingerprint
            self.finishedAt = finishedAt
            self.wallSeconds = wallSeconds
            self.phases = phases
            self.configuration = configuration
        }

        public static func == (lhs: StepRun, rhs: StepRun) -> Bool {
            lhs.name == rhs.name && lhs.title == rhs.title && lhs.ranInLastRun == rhs.ranInLastRun
                && lhs.version == rhs.version && lhs.seed == rhs.seed && lhs.fingerprint == rhs.fingerprint
                && lhs.finishedAt == rhs.finishedAt && lhs.wallSeconds == rhs.wallSeconds
                && lhs.phases.map(\.name) == rhs.phases.map(\.name) && lhs.phases.map(\.seconds) == rhs.phases.map(\.seconds)
                && lhs.configuration == rhs.configuration
        }
    }

    /// One hashed input file.
    public struct InputFile: Sendable, Equatable {
        public var role: String
        public var path: String
        public var byteCount: Int64
        public var hash: String
        public init(role: String, path: String, byteCount: Int64, hash: String) {
            self.role = role
            self.path = path
            self.byteCount = byteCount
            self.hash = hash
        }
    }

    /// Tool name and version, Swift version, platform.
    public var tool: [Fact]
    /// Global options (seed, data files, skip-invalid).
    public var configuration: [Fact]
    /// The command that reproduces this report.
    public var command: String
    public var inputs: [InputFile]
    public var steps: [StepRun]

    public init(tool: [Fact], configuration: [Fact], command: String, inputs: [InputFile], steps: [StepRun]) {
        self.tool = tool
        self.configuration = configuration
        self.command = command
        self.inputs = inputs
        self.steps = steps
    }
}

/// Everything the report builders render.
public struct ReportInput: Sendable, Equatable {
    public var title: String
    public var subtitle: String
    public var generatedAt: String
    public var sections: [SectionSlot]
    public var data: DataOverview?
    public var reproduction: ReproductionInfo?

    public init(title: String = "Predict the Segment: analysis report", subtitle: String, generatedAt: String,
                sections: [SectionSlot], data: DataOverview? = nil, reproduction: ReproductionInfo? = nil) {
        self.title = title
        self.subtitle = subtitle
        self.generatedAt = generatedAt
        self.sections = sections
        self.data = data
        self.reproduction = reproduction
    }
}
