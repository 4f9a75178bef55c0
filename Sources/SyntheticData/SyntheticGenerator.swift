import Dispatch
import Foundation
import SegmentData

/// Which competition file a synthetic user belongs to.
public enum SyntheticFile: String, Sendable, Hashable, CaseIterable {
    case train, test

    /// Record id prefix (`train-` / `test-`).
    public var idPrefix: String { rawValue + "-" }
    var streamTag: UInt64 { self == .train ? 0x7EA1 : 0x7E57 }
}

/// One `name:seconds` entry of a synthetic user.
public struct SyntheticEntry: Sendable, Hashable {
    public var name: String
    public var seconds: Int

    public init(name: String, seconds: Int) {
        self.name = name
        self.seconds = seconds
    }
}

/// One synthetic user as it appears in the file: entries in file order, hours `"0"…"23"`, days `"1"…"7"`.
public struct SyntheticUser: Sendable, Hashable {
    /// `train-17` / `test-3`.
    public var id: String
    /// The segment written to the train file; for a test user the hidden class the generator drew.
    public var segment: Segment
    public var genres: [SyntheticEntry]
    /// Empty for the few users whose `titles` string is empty.
    public var titles: [SyntheticEntry]
    public var cities: [SyntheticEntry]
    public var hours: [SyntheticEntry]
    public var days: [SyntheticEntry]
}

/// The seeded, deterministic generator of the built-in data set (same configuration and seed → same bytes).
///
/// Users are drawn independently from per-user random streams (so chunks run in parallel), records are
/// written straight into byte buffers, and keys and entries come out in CPython 2.7 dict order as in the
/// real files. See ``GenerativeModel`` for the user model and ``Profile`` for the targets.
public struct SyntheticGenerator: Sendable {
    public let configuration: SyntheticConfiguration
    public let seed: UInt64
    let titles: TitleCatalogue
    let cities: CityCatalogue
    let model: GenerativeModel
    /// Cumulative title-choice weights: `[genre][variant]`, variant = class × 5 taste bins.
    let titleCumulative: [[[Double]]]
    let emptyTitleUsers: [SyntheticFile: Set<Int>]
    // Pre-escaped JSON bytes and Python 2 hashes of every name.
    let titleBytes: [[UInt8]], titleHashes: [UInt64]
    let genreBytes: [[UInt8]], genreHashes: [UInt64]
    let cityBytes: [[UInt8]], cityHashes: [UInt64]
    let hourHashes: [UInt64], dayHashes: [UInt64]

    static let tasteBinCenters: [Double] = [-1.4, -0.6, 0, 0.6, 1.4]

    public init(configuration: SyntheticConfiguration, seed: UInt64) {
        self.configuration = configuration
        self.seed = seed
        let titles = TitleCatalogue(titleCount: configuration.titleCount, seed: seed)
        let cities = CityCatalogue(cityCount: configuration.cityCount, seed: seed)
        self.titles = titles
        self.cities = cities
        model = GenerativeModel()
        titleCumulative = Profile.genres.indices.map { genre in
            let members = titles.titlesByGenre[genre]
            let zipf = Profile.genres[genre].zipf
            return (0 ..< 2 * Self.tasteBinCenters.count).map { variant in
                let classSign = variant < Self.tasteBinCenters.count ? -1.0 : 1.0
                let shift = GenerativeModel.titleClassShift * classSign
                    + GenerativeModel.titleTasteShift * Self.tasteBinCenters[variant % Self.tasteBinCenters.count]
                var total = 0.0
                return members.enumerated().map { rank, title in
                    total += pow(Double(rank) + 1, -zipf) * exp(GenerativeModel.titleLeanScale * titles.lean[title] * shift)
                    return total
                }
            }
        }
        var empty: [SyntheticFile: Set<Int>] = [:]
        for file in SyntheticFile.allCases {
            let userCount = file == .train ? configuration.trainUserCount : configuration.testUserCount
            let fullCount = file == .train ? Profile.emptyTitlesTrain : Profile.emptyTitlesTest
            let fullUsers = file == .train ? Profile.fullTrainUserCount : Profile.fullTestUserCount
            let wanted = max(1, Int((Double(fullCount) * Double(userCount) / Double(fullUsers)).rounded()))
            var random = SeededRandomGenerator(seed: seed, stream: 0xE4B7 ^ file.streamTag)
            var chosen = Set<Int>()
            while chosen.count < min(wanted, userCount) { chosen.insert(1 + random.index(below: userCount)) }
            empty[file] = chosen
        }
        emptyTitleUsers = empty
        titleBytes = titles.names.map(JSONText.escaped)
        titleHashes = titles.names.map(Python2DictOrder.hash)
        genreBytes = Profile.genres.map { JSONText.escaped($0.name) }
        genreHashes = Profile.genres.map { Python2DictOrder.hash($0.name) }
        cityBytes = cities.names.map(JSONText.escaped)
        cityHashes = cities.names.map(Python2DictOrder.hash)
        hourHashes = (0 ..< 24).map { Python2DictOrder.hash(String($0)) }
        dayHashes = (1 ... 7).map { Python2DictOrder.hash(String($0)) }
    }

    func userCount(_ file: SyntheticFile) -> Int {
        file == .train ? configuration.trainUserCount : configuration.testUserCount
    }

    // MARK: - In-memory access

    /// Every user of `file` in id order (`users[0]` is `train-1`).
    public func users(_ file: SyntheticFile) -> [SyntheticUser] {
        var scratch = UserScratch()
        return (1 ... userCount(file)).map { id in
            let user = generateUser(file, id: id, scratch: &scratch)
            func entries(_ list: [(item: Int, seconds: Int)], _ name: (Int) -> String) -> [SyntheticEntry] {
                list.map { SyntheticEntry(name: name($0.item), seconds: $0.seconds) }
            }
            return SyntheticUser(
                id: file.idPrefix + String(id),
                segment: user.positive ? .pos : .neg,
                genres: entries(user.genres) { Profile.genres[$0].name },
                titles: entries(user.titles) { titles.names[$0] },
                cities: entries(user.cities) { cities.names[$0] },
                hours: entries(user.hours) { String($0) },
                days: entries(user.days) { String($0 + 1) })
        }
    }

    /// Record ids of `file` in file order (CPython 2.7 dict order of `train-1` … `train-N`).
    public func fileOrder(_ file: SyntheticFile) -> [Int] {
        let hashes = (1 ... userCount(file)).map { Python2DictOrder.hash(file.idPrefix + String($0)) }
        return Python2DictOrder.iterationOrder(hashes: hashes).map { $0 + 1 }
    }

    /// The distinct title names and the genre of each (every title belongs to exactly one genre).
    public var titleCatalogue: [(name: String, genre: String)] {
        zip(titles.names, titles.genreOfTitle).map { ($0, Profile.genres[$1].name) }
    }

    /// The 35 genre names.
    public static var genreNames: [String] { Profile.genres.map(\.name) }

    // MARK: - One user

    struct GeneratedUser {
        var positive = false
        var genres: [(item: Int, seconds: Int)] = []
        var titles: [(item: Int, seconds: Int)] = []
        var cities: [(item: Int, seconds: Int)] = []
        var hours: [(item: Int, seconds: Int)] = []
        var days: [(item: Int, seconds: Int)] = []
    }

    /// Reusable buffers for one thread.
    struct UserScratch {
        var weights = [Double](repeating: 0, count: 35)
        var chosen: [Int] = []
        var shares: [Double] = []
        var hashes: [UInt64] = []
        var slots: [Int32] = []
        var order: [Int] = []
        var entries: [(item: Int, seconds: Int)] = []
        var picked = Set<Int>()
    }

    func positiveProbability(_ file: SyntheticFile, id: Int) -> Double {
        let threshold = Double(userCount(file)) * Profile.lowIdFraction
        return Double(id) <= threshold ? Profile.positiveRateLowIds : Profile.positiveRateHighIds
    }

    /// The per-user draws every part of a generated user depends on.
    struct UserTraits {
        var positive: Bool
        /// Standard-normal activity (more watch time, more genres, hours, days and cities).
        var activity: Double
        /// Taste (shifted for positive users): which genres and titles the user leans to.
        var taste: Double
        var classIndex: Int { positive ? 1 : 0 }
    }

    func generateUser(_ file: SyntheticFile, id: Int, scratch: inout UserScratch) -> GeneratedUser {
        var random = SeededRandomGenerator(seed: seed, stream: file.streamTag, index: UInt64(id))
        var user = GeneratedUser()
        user.positive = random.bernoulli(positiveProbability(file, id: id))
        let activity = random.normal()
        let taste = random.normal() + (user.positive ? GenerativeModel.positiveTasteShift : 0)
        let traits = UserTraits(positive: user.positive, activity: activity, taste: taste)
        let total = Self.totalSeconds(traits)

        let (genres, genreSeconds) = drawGenres(traits, totalSeconds: total, random: &random, scratch: &scratch)
        let hasTitles = !(emptyTitleUsers[file]?.contains(id) ?? false)
        var titleEntries: [(item: Int, seconds: Int)] = []
        var genreEntries: [(item: Int, seconds: Int)] = []
        drawTitles(traits, genres: genres, genreSeconds: genreSeconds, hasTitles: hasTitles,
                   titleEntries: &titleEntries, genreEntries: &genreEntries, random: &random, scratch: &scratch)
        let watched = Double(genreEntries.reduce(0) { $0 + $1.seconds })

        // Hours, days and cities split the same total.
        let hourEntries = drawHours(traits, watched: watched, random: &random, scratch: &scratch)
        let dayEntries = drawDays(traits, watched: watched, random: &random, scratch: &scratch)
        let cityEntries = drawCities(traits, watched: watched, random: &random, scratch: &scratch)

        user.genres = Self.dictOrdered(genreEntries, hashes: genreHashes, scratch: &scratch)
        user.titles = Self.dictOrdered(titleEntries, hashes: titleHashes, scratch: &scratch)
        user.cities = Self.dictOrdered(cityEntries, hashes: cityHashes, scratch: &scratch)
        user.hours = Self.dictOrdered(hourEntries, hashes: hourHashes, scratch: &scratch)
        user.days = Self.dictOrdered(dayEntries, hashes: dayHashes, scratch: &scratch)
        return user
    }

    /// Total watch time: split normal in log space around the class median.
    @inline(__always)
    static func totalSeconds(_ traits: UserTraits) -> Double {
        let median = traits.positive ? Profile.logMedianPositive : Profile.logMedianNegative
        let activity = traits.activity
        let logTotal = activity > 0
            ? median + Profile.logSpreadUpper * activity / (1 + Profile.upperTailDamping * activity)
            : median + Profile.logSpreadLower * activity
        return max(1, exp(logTotal).rounded(.down))
    }

    /// The user's genres (in drawing order) and the seconds each gets of `totalSeconds`.
    @inline(__always)
    func drawGenres(_ traits: UserTraits, totalSeconds total: Double, random: inout SeededRandomGenerator,
                    scratch: inout UserScratch) -> (genres: [Int], seconds: [Double]) {
        let classIndex = traits.classIndex
        let genreCount = GenerativeModel.copulaCount(activity: traits.activity, noise: random.normal(),
                                                     cumulative: model.genreCountCumulative[classIndex])
        for g in 0 ..< Profile.genres.count {
            scratch.weights[g] = model.genreWeights[classIndex][g] * exp(model.genreTasteSlope[g] * traits.taste)
        }
        Self.sampleWithoutReplacement(count: genreCount, weights: &scratch.weights, itemCount: Profile.genres.count,
                                      into: &scratch.chosen, random: &random)
        let genres = scratch.chosen
        scratch.shares.removeAll(keepingCapacity: true)
        var shareTotal = 0.0
        for g in genres {
            let share = random.gamma(shape: 0.8) * Profile.genres[g].timeWeight
            scratch.shares.append(share)
            shareTotal += share
        }
        let genreSeconds = scratch.shares.map { total * $0 / max(shareTotal, .leastNormalMagnitude) }
        return (genres, genreSeconds)
    }

    /// Titles inside each genre, and genre values as the sum of their titles (the genre's seconds as
    /// they are for a user without titles).
    @inline(__always)
    func drawTitles(_ traits: UserTraits, genres: [Int], genreSeconds: [Double], hasTitles: Bool,
                    titleEntries: inout [(item: Int, seconds: Int)], genreEntries: inout [(item: Int, seconds: Int)],
                    random: inout SeededRandomGenerator, scratch: inout UserScratch) {
        let variant = traits.classIndex * Self.tasteBinCenters.count + Self.tasteBin(traits.taste)
        let spread = GenerativeModel.titleBreadthSpread
        let personalBreadth = exp(spread * random.normal() - spread * spread / 2)
        for (position, g) in genres.enumerated() {
            let seconds = genreSeconds[position]
            guard hasTitles else {
                genreEntries.append((g, Int(seconds)))
                continue
            }
            let breadth = Profile.genres[g].breadth * GenerativeModel.titleBreadthByClass[traits.classIndex] * personalBreadth
            let genreTotal = appendTitles(ofGenre: g, seconds: seconds, variant: variant, breadth: breadth,
                                          to: &titleEntries, random: &random, scratch: &scratch)
            genreEntries.append((g, genreTotal))
        }
    }

    /// Draws the titles of genre `g` the user watched, appends them with their seconds and returns
    /// the genre's total (the sum of the whole seconds of its titles).
    @inline(__always)
    func appendTitles(ofGenre g: Int, seconds: Double, variant: Int, breadth: Double,
                      to titleEntries: inout [(item: Int, seconds: Int)],
                      random: inout SeededRandomGenerator, scratch: inout UserScratch) -> Int {
        let members = titles.titlesByGenre[g]
        let timeFactor = min(6, pow(max(seconds, 1) / 1800, 0.35))
        let wanted = min(members.count, 1 + random.negativeBinomial(mean: breadth * timeFactor, shape: 1.0))
        scratch.picked.removeAll(keepingCapacity: true)
        let firstEntry = titleEntries.count
        titleCumulative[g][variant].withUnsafeBufferPointer { cumulative in
            var attempts = 0
            while scratch.picked.count < wanted && attempts < 8 * wanted + 20 {
                attempts += 1
                let index = random.index(cumulative: cumulative)
                if scratch.picked.insert(index).inserted { titleEntries.append((members[index], 0)) }
            }
        }
        var titleShareTotal = 0.0
        scratch.shares.removeAll(keepingCapacity: true)
        for _ in firstEntry ..< titleEntries.count {
            let share = random.gamma(shape: 0.5)
            scratch.shares.append(share)
            titleShareTotal += share
        }
        var genreTotal = 0
        for (offset, entry) in (firstEntry ..< titleEntries.count).enumerated() {
            let value = Int(seconds * scratch.shares[offset] / max(titleShareTotal, .leastNormalMagnitude))
            titleEntries[entry].seconds = value
            genreTotal += value
        }
        return genreTotal
    }

    /// The hours of day the user watched (`0…23`) and their share of `watched`.
    @inline(__always)
    func drawHours(_ traits: UserTraits, watched: Double, random: inout SeededRandomGenerator,
                   scratch: inout UserScratch) -> [(item: Int, seconds: Int)] {
        let classIndex = traits.classIndex
        let hourCount = GenerativeModel.hourCount(offset: model.hourCountOffset[classIndex], activity: traits.activity, noise: random.normal())
        for h in 0 ..< 24 { scratch.weights[h] = model.hourWeights[classIndex][h] }
        Self.sampleWithoutReplacement(count: hourCount, weights: &scratch.weights, itemCount: 24, into: &scratch.chosen, random: &random)
        scratch.chosen.sort()
        return Self.split(watched, over: scratch.chosen, shape: 0.7, random: &random) { _ in 1 }
    }

    /// The days of week the user watched (`0…6` for `"1"…"7"`) and their share of `watched`.
    @inline(__always)
    func drawDays(_ traits: UserTraits, watched: Double, random: inout SeededRandomGenerator,
                  scratch: inout UserScratch) -> [(item: Int, seconds: Int)] {
        let classIndex = traits.classIndex
        let dayCount = GenerativeModel.copulaCount(activity: traits.activity, noise: random.normal(), cumulative: model.dayCountCumulative[classIndex])
        for d in 0 ..< 7 { scratch.weights[d] = model.dayWeights[classIndex][d] }
        Self.sampleWithoutReplacement(count: dayCount, weights: &scratch.weights, itemCount: 7, into: &scratch.chosen, random: &random)
        scratch.chosen.sort()
        let daySevenWeight = traits.positive ? GenerativeModel.positiveDaySevenTimeWeight : 1
        return Self.split(watched, over: scratch.chosen, shape: 1.0, random: &random) { $0 == 6 ? daySevenWeight : 1 }
    }

    /// The cities the user watched from (by popularity) and their share of `watched`.
    @inline(__always)
    func drawCities(_ traits: UserTraits, watched: Double, random: inout SeededRandomGenerator,
                    scratch: inout UserScratch) -> [(item: Int, seconds: Int)] {
        let cityCount = min(cities.names.count, GenerativeModel.copulaCount(activity: traits.activity, noise: random.normal(),
                                                                            cumulative: model.cityCountCumulative))
        scratch.picked.removeAll(keepingCapacity: true)
        scratch.chosen.removeAll(keepingCapacity: true)
        cities.cumulativeWeights.withUnsafeBufferPointer { cumulative in
            var attempts = 0
            while scratch.chosen.count < cityCount && attempts < 20 * cityCount {
                attempts += 1
                let city = random.index(cumulative: cumulative)
                if scratch.picked.insert(city).inserted { scratch.chosen.append(city) }
            }
        }
        return Self.split(watched, over: scratch.chosen, shape: 0.4, random: &random) { _ in 1 }
    }

    static func tasteBin(_ taste: Double) -> Int {
        taste < -1.0 ? 0 : taste < -0.3 ? 1 : taste < 0.3 ? 2 : taste < 1.0 ? 3 : 4
    }

    /// Draws `count` distinct items with probability proportional to `weights` (zeroing the chosen weights).
    static func sampleWithoutReplacement(count: Int, weights: inout [Double], itemCount: Int, into chosen: inout [Int],
                                         random: inout SeededRandomGenerator) {
        chosen.removeAll(keepingCapacity: true)
        var total = 0.0
        for item in 0 ..< itemCount { total += weights[item] }
        for _ in 0 ..< min(count, itemCount) {
            guard total > 0 else { break }
            let target = random.uniform() * total
            var running = 0.0
            var pick = -1
            for item in 0 ..< itemCount where weights[item] > 0 {
                running += weights[item]
                pick = item
                if running > target { break }
            }
            guard pick >= 0 else { break }
            chosen.append(pick)
            total -= weights[pick]
            weights[pick] = 0
        }
    }

    /// Splits `total` seconds over `items` by gamma shares (times `weight(item)`), flooring each entry.
    static func split(_ total: Double, over items: [Int], shape: Double, random: inout SeededRandomGenerator,
                      weight: (Int) -> Double) -> [(item: Int, seconds: Int)] {
        let shares = items.map { random.gamma(shape: shape) * weight($0) }
        let shareTotal = max(shares.reduce(0, +), .leastNormalMagnitude)
        return zip(items, shares).map { ($0, Int(total * $1 / shareTotal)) }
    }

    /// Entries in the iteration order of a Python 2 dict filled in the given (viewing) order.
    static func dictOrdered(_ entries: [(item: Int, seconds: Int)], hashes: [UInt64],
                            scratch: inout UserScratch) -> [(item: Int, seconds: Int)] {
        guard entries.count > 1 else { return entries }
        scratch.hashes.removeAll(keepingCapacity: true)
        for entry in entries { scratch.hashes.append(hashes[entry.item]) }
        scratch.hashes.withUnsafeBufferPointer { buffer in
            Python2DictOrder.iterationOrder(hashes: buffer, scratch: &scratch.slots, order: &scratch.order)
        }
        return scratch.order.map { entries[$0] }
    }
}
