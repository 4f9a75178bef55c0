import Foundation

/// The synthetic city list: real big Indian cities first, then generated towns, multi-word names,
/// a literal `Unknown` and an international tail, with Zipf-like popularity.
struct CityCatalogue: Sendable {
    /// Lowercase city names (plus `Unknown`), most popular first.
    var names: [String]
    /// Cumulative popularity weights (Zipf, exponent 1.15) in name order.
    var cumulativeWeights: [Double]

    init(cityCount: Int, seed: UInt64) {
        var random = SeededRandomGenerator(seed: seed, stream: 0xC17E5)
        var names: [String] = []
        var taken = Set<String>()
        func add(_ name: String) {
            if names.count < cityCount, taken.insert(name).inserted { names.append(name) }
        }
        let major = NameVocabulary.majorCities
        let international = NameVocabulary.internationalCities
        // The first 30 big cities keep their order (they dominate the real files); the rest interleave.
        for name in major.prefix(30) { add(name) }
        var pool = Array(major.dropFirst(30)) + international
        pool.shuffle(using: &random)
        var generated: [String] = []
        var attempts = 0
        let wanted = max(0, cityCount - names.count - pool.count)
        while generated.count < wanted && attempts < wanted * 50 + 100 {
            attempts += 1
            let syllables = NameVocabulary.citySyllables, suffixes = NameVocabulary.citySuffixes
            var name = syllables[random.index(below: syllables.count)]
            if random.bernoulli(0.45) { name += syllables[random.index(below: syllables.count)] }
            name += suffixes[random.index(below: suffixes.count)]
            if random.bernoulli(0.08) {
                name = NameVocabulary.cityPrefixes[random.index(below: NameVocabulary.cityPrefixes.count)] + " " + name
            }
            if !taken.contains(name) && !generated.contains(name) { generated.append(name) }
        }
        // Interleave: known names spread through the middle ranks, generated towns mostly in the tail.
        var merged: [(String, Double)] = pool.map { ($0, random.uniform() * 0.7) }
        merged += generated.map { ($0, 0.2 + random.uniform() * 0.8) }
        merged.sort { $0.1 < $1.1 }
        for (name, _) in merged { add(name) }
        var serial = 2
        while names.count < cityCount {
            add("\(names[serial % max(1, names.count)]) \(serial)")
            serial += 1
        }
        self.names = names
        var total = 0.0
        cumulativeWeights = names.indices.map { rank in
            total += 1 / pow(Double(rank) + 1.6, 1.15)
            return total
        }
    }
}
