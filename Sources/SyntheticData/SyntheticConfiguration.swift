import Foundation

/// An error of the synthetic data generator: a bad configuration or a failed write.
public enum SyntheticDataError: Error, CustomStringConvertible, Equatable {
    case invalidConfiguration(String)
    case writeFailed(path: String, reason: String)

    public var description: String {
        switch self {
        case .invalidConfiguration(let message): "invalid synthetic data configuration: \(message)"
        case .writeFailed(let path, let reason): "could not write the built-in data set at \(path): \(reason)"
        }
    }
}

/// How big the built-in data set is: users per file, distinct titles and distinct cities.
public struct SyntheticConfiguration: Sendable, Hashable, Codable, CustomStringConvertible {
    public var trainUserCount: Int
    public var testUserCount: Int
    public var titleCount: Int
    public var cityCount: Int

    public static let trainUserRange = 50 ... 2_000_000
    public static let testUserRange = 10 ... 1_000_000
    public static let titleRange = 500 ... 200_000
    public static let cityRange = 60 ... 50_000

    /// Validates every count against its allowed range.
    public init(trainUserCount: Int, testUserCount: Int, titleCount: Int = 12_000, cityCount: Int = 1_380) throws {
        self.trainUserCount = trainUserCount
        self.testUserCount = testUserCount
        self.titleCount = titleCount
        self.cityCount = cityCount
        try validate()
    }

    private init(unchecked trainUserCount: Int, _ testUserCount: Int, _ titleCount: Int, _ cityCount: Int) {
        self.trainUserCount = trainUserCount
        self.testUserCount = testUserCount
        self.titleCount = titleCount
        self.cityCount = cityCount
    }

    /// The competition's size: 200,000 train and 100,000 test users, 12,000 titles, 1,380 cities.
    public static let fullScale = SyntheticConfiguration(unchecked: 200_000, 100_000, 12_000, 1_380)

    /// A reduced data set for tests and quick runs; counts are clamped into their allowed ranges, and
    /// titles and cities shrink with the square root of the size (as distinct names do in real samples).
    public static func small(trainUserCount: Int = 4000, testUserCount: Int = 2000) -> Self {
        let train = min(max(trainUserCount, trainUserRange.lowerBound), trainUserRange.upperBound)
        let test = min(max(testUserCount, testUserRange.lowerBound), testUserRange.upperBound)
        let scale = min(1, (Double(train + test) / 300_000).squareRoot())
        let titles = max(titleRange.lowerBound, Int(12_000 * scale))
        let cities = max(300, Int(1_380 * scale))
        return SyntheticConfiguration(unchecked: train, test, titles, cities)
    }

    /// Throws ``SyntheticDataError/invalidConfiguration(_:)`` naming the first count out of range.
    public func validate() throws {
        func check(_ value: Int, _ range: ClosedRange<Int>, _ name: String) throws {
            guard range.contains(value) else {
                throw SyntheticDataError.invalidConfiguration("\(name) = \(value) is outside \(range.lowerBound)…\(range.upperBound)")
            }
        }
        try check(trainUserCount, Self.trainUserRange, "trainUserCount")
        try check(testUserCount, Self.testUserRange, "testUserCount")
        try check(titleCount, Self.titleRange, "titleCount")
        try check(cityCount, Self.cityRange, "cityCount")
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.init(unchecked: try container.decode(Int.self, forKey: .trainUserCount),
                  try container.decode(Int.self, forKey: .testUserCount),
                  try container.decode(Int.self, forKey: .titleCount),
                  try container.decode(Int.self, forKey: .cityCount))
        try validate()
    }

    public var description: String {
        "\(trainUserCount) train + \(testUserCount) test users, \(titleCount) titles, \(cityCount) cities"
    }
}
