import Foundation
import Pipeline
import SegmentData
import SyntheticData

/// The data behind `StepOptions`: the files given by `--train` / `--test`, or the built-in data
/// set (generated once into `data/builtin`, or `data/builtin-small` for the small size).
///
/// The only file that calls the loader (`SegmentData`) and the generator (`SyntheticData`).
public struct DefaultDataSource: DataSource {
    public var options: StepOptions

    public init(options: StepOptions) {
        self.options = options
    }

    public func prepareInputs(log: ProgressLog) throws -> [DataInput] {
        if let train = options.train, let test = options.test {
            return [DataInput(role: "train", url: URL(fileURLWithPath: train)),
                    DataInput(role: "test", url: URL(fileURLWithPath: test))]
        }
        let size = options.resolvedBuiltinSize
        let directory = URL(fileURLWithPath: size == .full ? "data/builtin" : "data/builtin-small", isDirectory: true)
        let configuration: SyntheticConfiguration = size == .full ? .fullScale : .small()
        let start = DispatchTime.now().uptimeNanoseconds
        let files = try BuiltinDataset.ensure(in: directory, configuration: configuration, seed: Self.builtinDataSeed)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        if seconds > 0.5 {
            log.line("[data] generated the built-in data set (\(size.rawValue)) in \(files.directory.path) in \(String(format: "%.1f", seconds)) s")
        }
        return [DataInput(role: "train", url: files.train), DataInput(role: "test", url: files.test)]
    }

    /// The built-in data set is one fixed data set (a stand-in for the competition files), so its
    /// seed is fixed too; `--seed` changes the analysis, not the data.
    public static let builtinDataSeed: UInt64 = 2017

    public func load(_ inputs: [DataInput], log: ProgressLog) throws -> WatchData {
        guard let train = inputs.first(where: { $0.role == "train" }), let test = inputs.first(where: { $0.role == "test" }) else {
            throw DataSourceError(message: "both a train and a test file are needed")
        }
        return try WatchDataLoader.load(train: train.url, test: test.url, options: LoadOptions(skipInvalid: options.skipInvalid),
                                        progress: { message in log.line("[data] \(message)") })
    }

    public func summary(of data: WatchData, loadSeconds: Double) -> String {
        DataSummary(data).description + "\nparse time: " + String(format: "%.2f s", loadSeconds)
    }

    public func record(of data: WatchData, inputs: [InputFileRecord], loadSeconds: Double) throws -> DataRecord {
        let profile = WatchDataProfile(of: data, loadSeconds: loadSeconds)
        return DataRecord(inputs: inputs, loadSeconds: loadSeconds, summaryText: profile.description,
                          profile: try JSONValue(encoding: profile))
    }
}

/// A data source that cannot name its train and test files.
struct DataSourceError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
