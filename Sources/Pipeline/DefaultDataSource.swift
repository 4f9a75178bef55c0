import Foundation
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
        throw PendingDataError(message: "the built-in data set is not available in this build yet; use --train and --test")
    }

    public func load(_ inputs: [DataInput], log: ProgressLog) throws -> WatchData {
        guard let train = inputs.first(where: { $0.role == "train" }), let test = inputs.first(where: { $0.role == "test" }) else {
            throw PendingDataError(message: "both a train and a test file are needed")
        }
        return try WatchDataLoader.load(train: train.url, test: test.url, options: LoadOptions(skipInvalid: options.skipInvalid),
                                        progress: { message in log.line("[data] \(message)") })
    }

    public func summary(of data: WatchData, loadSeconds: Double) -> String {
        DataSummary(data).description + "\nparse time: " + String(format: "%.2f s", loadSeconds)
    }
}

/// Raised while the loader or generator is not merged.
struct PendingDataError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
