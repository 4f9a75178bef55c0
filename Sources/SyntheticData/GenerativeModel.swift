import Foundation

/// The calibrated parameters of the user model, fitted once per configuration by simulation so that the
/// class-conditional presence of genres, hours and days matches ``Profile``.
///
/// A user has a class (pos/neg), a total watch time `T` (split normal in log space), a hidden taste
/// `z ~ N(positiveTasteShift · [pos], 1)` that tilts both genre and title choice (so genres and titles carry
/// partly the same class information, and a personal title breadth adds noise to title counts),
/// and an activity rank that couples the number of genres, hours, days, cities and titles to `T`
/// (a Gaussian copula). Genres, hours and days are drawn without replacement with class-specific
/// weights `w`, fitted by the fixed-point iteration `w ← w · (target / simulated)^0.7`.
struct GenerativeModel: Sendable {
    /// Genre weights by class (`[negative, positive]`).
    var genreWeights: [[Double]]
    /// How strongly the hidden taste tilts each genre: `w · exp(genreTasteSlope · z)`.
    var genreTasteSlope: [Double]
    /// Cumulative distribution of the number of genres (index 0 = one genre) by class.
    var genreCountCumulative: [[Double]]
    var hourWeights: [[Double]]
    /// Log-scale offset of the number of active hours by class.
    var hourCountOffset: [Double]
    var dayWeights: [[Double]]
    var dayCountCumulative: [[Double]]
    var cityCountCumulative: [Double]

    static let copulaCorrelation = 0.5
    static let hourCountSlope = 0.55
    static let hourCountNoise = 0.45
    /// Knobs of the class signal beyond genre presence.
    static let tasteSlopeScale = 1.15
    /// Mean of the hidden taste of pos users (neg users: 0): genres and titles both reflect the taste, so
    /// they carry partly the same class information.
    static let positiveTasteShift = 1.1
    static let titleLeanScale = 0.7
    static let titleClassShift = 0.14
    static let titleTasteShift = 1.0
    /// Log-scale spread of a user's personal title breadth (samplers vs bingers), mean-preserving.
    static let titleBreadthSpread = 1.0
    /// Typical titles per genre scale by class (neg, pos): pos users binge few serials.
    static let titleBreadthByClass = [1.32, 0.75]
    /// Day 7 watch-time weight of pos users (pos users watch less on day 7).
    static let positiveDaySevenTimeWeight = 0.7

    init() {
        let genres = Profile.genres
        let baseLogit = log(Profile.positiveRate / (1 - Profile.positiveRate))
        let slopes = genres.map { genre in
            let p = min(max(genre.positiveGivenPresent, 0.01), 0.5)
            return Self.tasteSlopeScale * (log(p / (1 - p)) - baseLogit)
        }
        genreTasteSlope = slopes
        // Number of genres: the real histogram, exponentially tilted per class so that its mean equals the
        // sum of that class's genre presences (so the presences can all be met).
        let histogram = (1 ... 22).map { Double(Profile.genresPerUserHistogram[$0] ?? 0) }
        let genreCountCumulative = [false, true].map { positive in
            let target = genres.reduce(0) { $0 + Profile.genrePresence($1, positive: positive) }
            return Self.cumulative(Self.tilted(histogram, toMean: target))
        }
        self.genreCountCumulative = genreCountCumulative
        let dayCountCumulative = [Profile.activeDaysHistogramNegative, Profile.activeDaysHistogramPositive].map { Self.cumulative($0) }
        self.dayCountCumulative = dayCountCumulative
        cityCountCumulative = Self.cumulative(Profile.citiesPerUserHistogram)

        var random = SeededRandomGenerator(seed: 0xCA11_B4A7E, stream: 1)
        let simulationCount = 24_000
        // Pre-drawn simulated users (common random numbers across iterations): activity, copula noise, taste.
        let activity = (0 ..< simulationCount).map { _ in random.normal() }
        let noise = (0 ..< simulationCount).map { _ in random.normal() }
        let taste = (0 ..< simulationCount).map { _ in random.normal() }
        let uniforms = (0 ..< simulationCount * 24).map { _ in random.uniform() }

        var genreWeights: [[Double]] = []
        var hourWeights: [[Double]] = []
        var hourCountOffset: [Double] = []
        var dayWeights: [[Double]] = []
        for positive in [false, true] {
            let classIndex = positive ? 1 : 0
            let genreCounts = (0 ..< simulationCount).map {
                Self.copulaCount(activity: activity[$0], noise: noise[$0], cumulative: genreCountCumulative[classIndex])
            }
            let genreTargets = genres.map { Profile.genrePresence($0, positive: positive) }
            let tasteShift = positive ? Self.positiveTasteShift : 0
            genreWeights.append(Self.calibrate(targets: genreTargets, counts: genreCounts, uniforms: uniforms) { user, g in
                exp(slopes[g] * (taste[user] + tasteShift))
            })

            let hourTargets = (0 ..< 24).map { Profile.hourPresence($0, positive: positive) }
            let hourTargetMean = hourTargets.reduce(0, +)
            var low = -2.0, high = 4.0
            for _ in 0 ..< 40 {
                let middle = (low + high) / 2
                let mean = (0 ..< simulationCount).reduce(0.0) {
                    $0 + Double(Self.hourCount(offset: middle, activity: activity[$1], noise: noise[$1]))
                } / Double(simulationCount)
                if mean < hourTargetMean { low = middle } else { high = middle }
            }
            let offset = (low + high) / 2
            hourCountOffset.append(offset)
            let hourCounts = (0 ..< simulationCount).map { Self.hourCount(offset: offset, activity: activity[$0], noise: noise[$0]) }
            hourWeights.append(Self.calibrate(targets: hourTargets, counts: hourCounts, uniforms: uniforms, tilt: nil))

            let dayCounts = (0 ..< simulationCount).map {
                Self.copulaCount(activity: activity[$0], noise: noise[$0], cumulative: dayCountCumulative[classIndex])
            }
            let dayMean = Double(dayCounts.reduce(0, +)) / Double(simulationCount)
            let dayTotal = Double(Profile.dayUserCounts.reduce(0, +))
            let dayTargets = Profile.dayUserCounts.map { Double($0) / dayTotal * dayMean }
            dayWeights.append(Self.calibrate(targets: dayTargets, counts: dayCounts, uniforms: uniforms, tilt: nil))
        }
        self.genreWeights = genreWeights
        self.hourWeights = hourWeights
        self.hourCountOffset = hourCountOffset
        self.dayWeights = dayWeights
    }

    /// A count drawn from `cumulative` at the copula rank `Φ(ρ·activity + √(1−ρ²)·noise)` (1-based).
    static func copulaCount(activity: Double, noise: Double, cumulative: [Double]) -> Int {
        let rho = copulaCorrelation
        let u = standardNormalCDF(rho * activity + (1 - rho * rho).squareRoot() * noise)
        var index = 0
        while index < cumulative.count - 1 && cumulative[index] < u { index += 1 }
        return index + 1
    }

    static func hourCount(offset: Double, activity: Double, noise: Double) -> Int {
        let value = exp(offset + hourCountSlope * activity + hourCountNoise * noise)
        return min(24, max(1, Int(value.rounded())))
    }

    static func cumulative(_ weights: [Double]) -> [Double] {
        let total = weights.reduce(0, +)
        var running = 0.0
        var result = weights.map { running += $0 / total; return running }
        result[result.count - 1] = 1
        return result
    }

    /// `histogram · exp(θ k)` normalised, with θ found by bisection so that the mean count is `mean`.
    static func tilted(_ histogram: [Double], toMean mean: Double) -> [Double] {
        func tilt(_ theta: Double) -> [Double] { histogram.enumerated().map { $0.element * exp(theta * Double($0.offset + 1)) } }
        func meanOf(_ weights: [Double]) -> Double {
            weights.enumerated().reduce(0) { $0 + $1.element * Double($1.offset + 1) } / weights.reduce(0, +)
        }
        var low = -2.0, high = 2.0
        for _ in 0 ..< 60 {
            let middle = (low + high) / 2
            if meanOf(tilt(middle)) < mean { low = middle } else { high = middle }
        }
        return tilt((low + high) / 2)
    }

    /// Fits inclusion weights so that sampling `counts[user]` items without replacement (weights times the
    /// optional per-user tilt) includes item `i` with frequency `targets[i]`.
    static func calibrate(targets: [Double], counts: [Int], uniforms: [Double], iterations: Int = 14,
                          tilt: ((Int, Int) -> Double)?) -> [Double] {
        let itemCount = targets.count
        var weights = targets.map { max($0, 0) }
        let userCount = counts.count
        var tilts: [Double] = []
        if let tilt {
            tilts = [Double](repeating: 0, count: userCount * itemCount)
            for user in 0 ..< userCount { for item in 0 ..< itemCount { tilts[user * itemCount + item] = tilt(user, item) } }
        }
        var userWeights = [Double](repeating: 0, count: itemCount)
        for _ in 0 ..< iterations {
            var included = [Double](repeating: 0, count: itemCount)
            for user in 0 ..< userCount {
                for item in 0 ..< itemCount {
                    userWeights[item] = tilts.isEmpty ? weights[item] : weights[item] * tilts[user * itemCount + item]
                }
                var total = userWeights.reduce(0, +)
                for draw in 0 ..< min(counts[user], itemCount) {
                    guard total > 0 else { break }
                    let target = uniforms[(user * 24 + draw) % uniforms.count] * total
                    var running = 0.0
                    var chosen = -1
                    for item in 0 ..< itemCount where userWeights[item] > 0 {
                        running += userWeights[item]
                        chosen = item
                        if running > target { break }
                    }
                    guard chosen >= 0 else { break }
                    included[chosen] += 1
                    total -= userWeights[chosen]
                    userWeights[chosen] = 0
                }
            }
            for item in 0 ..< itemCount where targets[item] > 0 {
                let observed = max(included[item] / Double(userCount), 1e-6)
                weights[item] *= pow(targets[item] / observed, 0.7)
            }
        }
        return weights
    }
}
