/// The real data's statistical profile (from `hotstar-reference/profile_targets.json`) and the generator's
/// shape parameters, in one place.
enum Profile {
    /// Positive rate of the real train file (15,255 / 200,000).
    static let positiveRate = 0.076275
    /// Positive rate below and above the id threshold (the weak id effect, 5.9 % vs 8.4 %).
    static let positiveRateLowIds = 0.059
    static let lowIdFraction = 0.325  // ids below ~65,000 of 200,000
    static var positiveRateHighIds: Double { (positiveRate - lowIdFraction * positiveRateLowIds) / (1 - lowIdFraction) }

    /// One genre: real presence (users of 300,000), P(pos | present), and generator shape parameters.
    struct Genre {
        let name: String
        let userCount: Int
        let positiveGivenPresent: Double
        /// Share of the title catalogue.
        let catalogueShare: Double
        /// Typical distinct titles per user beyond the first (clips are many, serials few).
        let breadth: Double
        /// Relative watch time per entry (serials and matches run long, clips are short).
        let timeWeight: Double
        /// Zipf exponent of title popularity inside the genre.
        let zipf: Double
    }

    static let genres: [Genre] = [
        Genre(name: "Cricket", userCount: 169_004, positiveGivenPresent: 0.027, catalogueShare: 0.240, breadth: 5.2, timeWeight: 1.0, zipf: 0.95),
        Genre(name: "Drama", userCount: 148_086, positiveGivenPresent: 0.098, catalogueShare: 0.150, breadth: 2.0, timeWeight: 1.4, zipf: 1.05),
        Genre(name: "Romance", userCount: 106_588, positiveGivenPresent: 0.117, catalogueShare: 0.095, breadth: 1.3, timeWeight: 1.3, zipf: 1.05),
        Genre(name: "Reality", userCount: 86_356, positiveGivenPresent: 0.067, catalogueShare: 0.050, breadth: 1.0, timeWeight: 1.0, zipf: 1.1),
        Genre(name: "TalkShow", userCount: 79_421, positiveGivenPresent: 0.110, catalogueShare: 0.040, breadth: 0.8, timeWeight: 1.0, zipf: 1.1),
        Genre(name: "Comedy", userCount: 70_515, positiveGivenPresent: 0.073, catalogueShare: 0.050, breadth: 0.9, timeWeight: 1.0, zipf: 1.05),
        Genre(name: "Family", userCount: 66_469, positiveGivenPresent: 0.135, catalogueShare: 0.035, breadth: 0.8, timeWeight: 1.3, zipf: 1.1),
        Genre(name: "Action", userCount: 53_861, positiveGivenPresent: 0.049, catalogueShare: 0.060, breadth: 0.7, timeWeight: 1.0, zipf: 1.0),
        Genre(name: "LiveTV", userCount: 41_857, positiveGivenPresent: 0.029, catalogueShare: 0.007, breadth: 0.6, timeWeight: 0.8, zipf: 1.2),
        Genre(name: "Crime", userCount: 35_119, positiveGivenPresent: 0.059, catalogueShare: 0.025, breadth: 0.7, timeWeight: 1.0, zipf: 1.1),
        Genre(name: "Thriller", userCount: 34_566, positiveGivenPresent: 0.080, catalogueShare: 0.040, breadth: 0.5, timeWeight: 1.0, zipf: 1.0),
        Genre(name: "Mythology", userCount: 18_910, positiveGivenPresent: 0.061, catalogueShare: 0.016, breadth: 0.7, timeWeight: 1.2, zipf: 1.1),
        Genre(name: "Awards", userCount: 18_522, positiveGivenPresent: 0.077, catalogueShare: 0.010, breadth: 0.4, timeWeight: 0.8, zipf: 1.0),
        Genre(name: "Football", userCount: 11_428, positiveGivenPresent: 0.021, catalogueShare: 0.060, breadth: 2.5, timeWeight: 0.7, zipf: 0.9),
        Genre(name: "Badminton", userCount: 10_273, positiveGivenPresent: 0.029, catalogueShare: 0.020, breadth: 1.2, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Horror", userCount: 9_985, positiveGivenPresent: 0.076, catalogueShare: 0.020, breadth: 0.3, timeWeight: 0.9, zipf: 1.0),
        Genre(name: "Sport", userCount: 9_088, positiveGivenPresent: 0.016, catalogueShare: 0.012, breadth: 0.6, timeWeight: 0.6, zipf: 1.3),
        Genre(name: "Kids", userCount: 7_364, positiveGivenPresent: 0.103, catalogueShare: 0.020, breadth: 0.8, timeWeight: 0.8, zipf: 1.0),
        Genre(name: "Travel", userCount: 6_442, positiveGivenPresent: 0.044, catalogueShare: 0.010, breadth: 0.4, timeWeight: 0.6, zipf: 1.0),
        Genre(name: "Wildlife", userCount: 5_978, positiveGivenPresent: 0.037, catalogueShare: 0.012, breadth: 0.4, timeWeight: 0.6, zipf: 1.0),
        Genre(name: "Teen", userCount: 3_137, positiveGivenPresent: 0.113, catalogueShare: 0.006, breadth: 0.6, timeWeight: 1.0, zipf: 1.0),
        Genre(name: "Science", userCount: 2_757, positiveGivenPresent: 0.041, catalogueShare: 0.006, breadth: 0.4, timeWeight: 0.6, zipf: 1.0),
        Genre(name: "Hockey", userCount: 2_542, positiveGivenPresent: 0.014, catalogueShare: 0.010, breadth: 1.0, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Documentary", userCount: 1_375, positiveGivenPresent: 0.061, catalogueShare: 0.006, breadth: 0.3, timeWeight: 0.7, zipf: 1.0),
        Genre(name: "Kabaddi", userCount: 1_358, positiveGivenPresent: 0.030, catalogueShare: 0.015, breadth: 1.5, timeWeight: 0.5, zipf: 0.9),
        Genre(name: "Formula1", userCount: 535, positiveGivenPresent: 0.016, catalogueShare: 0.004, breadth: 0.5, timeWeight: 0.6, zipf: 1.0),
        Genre(name: "Tennis", userCount: 427, positiveGivenPresent: 0.019, catalogueShare: 0.004, breadth: 0.5, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Athletics", userCount: 391, positiveGivenPresent: 0.020, catalogueShare: 0.003, breadth: 0.4, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Table Tennis", userCount: 323, positiveGivenPresent: 0.0095, catalogueShare: 0.0025, breadth: 0.4, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "FormulaE", userCount: 45, positiveGivenPresent: 0.0, catalogueShare: 0.0008, breadth: 0.2, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Volleyball", userCount: 42, positiveGivenPresent: 0.0, catalogueShare: 0.0006, breadth: 0.2, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Boxing", userCount: 41, positiveGivenPresent: 0.0, catalogueShare: 0.0006, breadth: 0.2, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "NA", userCount: 17, positiveGivenPresent: 0.083, catalogueShare: 0.0005, breadth: 0.2, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "Swimming", userCount: 10, positiveGivenPresent: 0.0, catalogueShare: 0.0003, breadth: 0.1, timeWeight: 0.5, zipf: 1.0),
        Genre(name: "IndiaVsSa", userCount: 2, positiveGivenPresent: 0.0, catalogueShare: 0.0001, breadth: 0.0, timeWeight: 0.5, zipf: 1.0),
    ]

    /// Users of 300,000 (train + test) present in the real files.
    static let profiledUserCount = 300_000.0

    /// Presence of genre `g` in class `positive`: P(g | class) = P(class | g) · P(g) / P(class).
    static func genrePresence(_ genre: Genre, positive: Bool) -> Double {
        let presence = Double(genre.userCount) / profiledUserCount
        return positive
            ? genre.positiveGivenPresent * presence / positiveRate
            : (1 - genre.positiveGivenPresent) * presence / (1 - positiveRate)
    }

    /// Users of 200,000 (train) with 1, 2, … nonzero genres.
    static let genresPerUserHistogram: [Int: Int] = [
        1: 33_047, 2: 56_332, 3: 39_742, 4: 26_489, 5: 17_220, 6: 11_085, 7: 6_883, 8: 4_110, 9: 2_290,
        10: 1_350, 11: 724, 12: 350, 13: 195, 14: 102, 15: 48, 16: 22, 17: 7, 18: 1, 19: 2, 22: 1,
    ]

    /// Users (of 300,000) active in hour 0…23.
    static let hourUserCounts: [Int] = [
        87_527, 58_465, 39_250, 26_360, 19_394, 20_331, 30_262, 45_229, 60_323, 84_906, 101_205, 110_334,
        115_732, 127_440, 135_274, 139_572, 144_757, 137_029, 139_160, 150_958, 158_760, 159_896, 150_989, 127_336,
    ]
    /// P(pos | hour present), approximate.
    static let positiveGivenHour: [Double] = [
        0.110, 0.112, 0.108, 0.103, 0.096, 0.091, 0.088, 0.090, 0.093, 0.084, 0.083, 0.087,
        0.089, 0.087, 0.088, 0.087, 0.081, 0.082, 0.080, 0.075, 0.073, 0.076, 0.083, 0.093,
    ]

    static func hourPresence(_ hour: Int, positive: Bool) -> Double {
        let presence = Double(hourUserCounts[hour]) / profiledUserCount
        let p = positiveGivenHour[hour]
        return positive ? p * presence / positiveRate : (1 - p) * presence / (1 - positiveRate)
    }

    /// Users (of 300,000) active on day 1…7.
    static let dayUserCounts: [Int] = [174_669, 169_375, 174_859, 192_073, 180_716, 182_206, 187_992]
    /// Share of users active on 1…7 distinct days, by class.
    static let activeDaysHistogramNegative: [Double] = [0.175, 0.137, 0.116, 0.105, 0.105, 0.120, 0.243]
    static let activeDaysHistogramPositive: [Double] = [0.158, 0.119, 0.103, 0.087, 0.099, 0.111, 0.324]
    /// Share of users with 1, 2, 3, 4, … cities.
    static let citiesPerUserHistogram: [Double] = [0.60, 0.20, 0.13, 0.035, 0.017, 0.008, 0.004, 0.003, 0.002, 0.001]

    /// Empty `titles` strings at full scale.
    static let emptyTitlesTrain = 46
    static let emptyTitlesTest = 12
    static let fullTrainUserCount = 200_000
    static let fullTestUserCount = 100_000

    /// Log total watch seconds: a split normal around the class median, lighter upper tail
    /// (median 1.9 h, mean 5.9 h, left-skewed in log space).
    static let logMedianNegative = 8.77
    static let logMedianPositive = 9.33
    static let logSpreadUpper = 1.85
    static let logSpreadLower = 2.15
    static let upperTailDamping = 0.11
}
