import Foundation

/// The three competition files of a built-in data set.
public struct BuiltinFiles: Sendable, Hashable {
    public var directory: URL
    public var train: URL
    public var test: URL
    public var sampleSubmission: URL

    public init(directory: URL) {
        self.directory = directory
        train = directory.appendingPathComponent("train_data.json")
        test = directory.appendingPathComponent("test_data.json")
        sampleSubmission = directory.appendingPathComponent("sample_submission.csv")
    }
}

/// The built-in data set on disk: generated once per (configuration, seed, generator version) and reused.
public enum BuiltinDataset {
    /// Bumped whenever the generator's output changes for the same configuration and seed.
    public static let generatorVersion = 3
    /// The marker file recording what a directory holds.
    public static let markerFileName = "builtin-dataset.json"

    /// What a built directory was generated from.
    struct Marker: Codable, Equatable {
        var configuration: SyntheticConfiguration
        var seed: UInt64
        var generatorVersion: Int
    }

    /// Writes the data set into `directory` once (atomically: temp folder + rename) and reuses it when a marker (configuration + seed + generator version) matches.
    public static func ensure(in directory: URL, configuration: SyntheticConfiguration = .fullScale, seed: UInt64) throws -> BuiltinFiles {
        try configuration.validate()
        let files = BuiltinFiles(directory: directory)
        let marker = Marker(configuration: configuration, seed: seed, generatorVersion: generatorVersion)
        if isComplete(files, marker: marker) { return files }

        let manager = FileManager.default
        let parent = directory.deletingLastPathComponent()
        let temporary = parent.appendingPathComponent(".\(directory.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0 ... .max))")
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            defer { try? manager.removeItem(at: temporary) }
            _ = try SyntheticGenerator(configuration: configuration, seed: seed).write(to: temporary)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(marker).write(to: temporary.appendingPathComponent(markerFileName))
            if manager.fileExists(atPath: directory.path) {
                // Another process may have finished meanwhile; otherwise replace the stale data set.
                if isComplete(files, marker: marker) { return files }
                try manager.removeItem(at: directory)
            }
            try manager.moveItem(at: temporary, to: directory)
        } catch let error as SyntheticDataError {
            throw error
        } catch {
            if isComplete(files, marker: marker) { return files }
            throw SyntheticDataError.writeFailed(path: directory.path, reason: "\(error)")
        }
        return files
    }

    static func isComplete(_ files: BuiltinFiles, marker: Marker) -> Bool {
        let manager = FileManager.default
        guard let data = try? Data(contentsOf: files.directory.appendingPathComponent(markerFileName)),
              let found = try? JSONDecoder().decode(Marker.self, from: data), found == marker else { return false }
        return [files.train, files.test, files.sampleSubmission].allSatisfy { manager.fileExists(atPath: $0.path) }
    }
}
