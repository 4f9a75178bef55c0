import Foundation

/// The synthetic title catalogue: every title belongs to exactly one genre, has a Zipf-like popularity
/// rank inside its genre and a hidden lean towards `pos` (positive) or `neg` (negative) viewers.
struct TitleCatalogue: Sendable {
    /// Title names exactly as written in the files (messy: colons, pipes, `!`, `*`, `'`, `+`, `_`, trailing spaces…).
    var names: [String]
    /// Genre index (into ``Profile/genres``) of each title.
    var genreOfTitle: [Int]
    /// Title indices per genre, most popular first.
    var titlesByGenre: [[Int]]
    /// Standard-normal lean of each title: viewers with a positive taste prefer titles with a positive lean.
    var lean: [Double]

    /// Builds `titleCount` titles from the real seed names and generated names.
    init(titleCount: Int, seed: UInt64) {
        var random = SeededRandomGenerator(seed: seed, stream: 0x7171_1E5)
        let genres = Profile.genres
        let sizes = Self.catalogueSizes(titleCount: titleCount)
        var taken = Set<String>()
        var names: [String] = []
        var genreOfTitle: [Int] = []
        var titlesByGenre: [[Int]] = []
        var lean: [Double] = []
        var factory = TitleNameFactory()
        for (genreIndex, genre) in genres.enumerated() {
            let size = sizes[genreIndex]
            var local: [(name: String, rankKey: Double)] = []
            var seeds = TitleSeeds.byGenre[genre.name] ?? []
            seeds.shuffle(using: &random)
            for seed in seeds where local.count < size && !taken.contains(seed) {
                taken.insert(seed)
                local.append((seed, random.uniform() * 0.6))
            }
            // Case variants of popular titles become separate titles (`NAVYA - …` beside `Navya - …`).
            let variantCount = size >= 40 ? max(1, size / 120) : 0
            var attempts = 0
            while local.count < size - variantCount && attempts < size * 60 {
                attempts += 1
                var name = factory.makeName(genre: genre.name, random: &random)
                name = TitleNameFactory.roughen(name, genre: genre.name, random: &random)
                guard TitleNameFactory.isWellFormed(name), !taken.contains(name) else { continue }
                taken.insert(name)
                local.append((name, random.uniform()))
            }
            var serial = 2
            while local.count < size - variantCount, let base = local.first?.name {
                // A tiny catalogue ran out of distinct names: number the sequels.
                let name = "\(base) \(serial)"
                serial += 1
                if taken.insert(name).inserted { local.append((name, 0.9 + random.uniform() * 0.1)) }
            }
            var variantAttempts = 0
            while local.count < size && variantAttempts < 50 * max(1, variantCount) {
                variantAttempts += 1
                let source = local[random.index(below: min(local.count, 40))].name
                let variant = random.bernoulli(0.6) ? source.uppercased() : source.capitalized
                guard variant != source, TitleNameFactory.isWellFormed(variant), taken.insert(variant).inserted else { continue }
                local.append((variant, 0.7 + random.uniform() * 0.3))
            }
            local.sort { $0.rankKey < $1.rankKey }
            var indices: [Int] = []
            for entry in local {
                indices.append(names.count)
                names.append(entry.name)
                genreOfTitle.append(genreIndex)
                lean.append(random.normal())
            }
            titlesByGenre.append(indices)
        }
        Self.injectSpecialNames(into: &names, titlesByGenre: titlesByGenre, taken: &taken, random: &random)
        self.names = names
        self.genreOfTitle = genreOfTitle
        self.titlesByGenre = titlesByGenre
        self.lean = lean
    }

    /// Titles per genre: proportional to ``Profile/Genre/catalogueShare``, at least one, summing to `titleCount`.
    static func catalogueSizes(titleCount: Int) -> [Int] {
        let genres = Profile.genres
        let total = genres.reduce(0) { $0 + $1.catalogueShare }
        var sizes = genres.map { max(1, Int(($0.catalogueShare / total * Double(titleCount)).rounded())) }
        let difference = titleCount - sizes.reduce(0, +)
        sizes[0] = max(1, sizes[0] + difference)  // Cricket absorbs the rounding
        return sizes
    }

    /// Renames a few mid-popularity titles so that the files exercise JSON escapes and commas inside names
    /// (`"`, `\`, non-ASCII written as `\uXXXX`, and `,`).
    private static func injectSpecialNames(into names: inout [String], titlesByGenre: [[Int]], taken: inout Set<String>,
                                           random: inout SeededRandomGenerator) {
        let specials: [(genre: String, name: String)] = [
            ("Drama", "Ek \"Anokhi\" Kahani"),
            ("Comedy", "Sorry, Bhai!"),
            ("Romance", "Pyaar Ka Caf\u{E9}"),
            ("Kids", "Pok\u{E9}mon: Indigo League"),
            ("Reality", "Dance +, Once More"),
            ("Thriller", "The \"Perfect\" Alibi"),
            ("Action", "AC\\DC: Live in Mumbai"),
            ("Football", "Atl\u{E9}tico Madrid vs Barcelona"),
            ("TalkShow", "Koffee With Karan, Season 5"),
            ("Drama", "Saath Nibhaana Saathiya, Again"),
            ("Cricket", "\"Captain Cool\" Dhoni in Numbers"),
            ("Family", "Jab Pyaar Hua \\ Reloaded"),
        ]
        for (offset, special) in specials.enumerated() {
            guard let genreIndex = Profile.genres.firstIndex(where: { $0.name == special.genre }) else { continue }
            let titles = titlesByGenre[genreIndex]
            guard titles.count >= 30, !taken.contains(special.name) else { continue }
            let position = 10 + (offset * 7 + random.index(below: 10)) % (titles.count - 10)
            let title = titles[position]
            taken.remove(names[title])
            names[title] = special.name
            taken.insert(special.name)
        }
    }
}

/// Makes plausible title names for a genre from templates, the real seed names and word lists.
struct TitleNameFactory {
    private typealias V = NameVocabulary
    private var entertainmentWords: [String] = []
    private var seedsByGenre: [String: [[Substring]]] = [:]

    init() {
        var words = Set<String>()
        let sportGenres: Set<String> = ["Cricket", "Football", "Kabaddi", "Badminton", "Hockey", "Tennis", "Formula1", "Sport"]
        for (genre, names) in TitleSeeds.byGenre {
            seedsByGenre[genre] = names.map { $0.split(separator: " ") }
            guard !sportGenres.contains(genre) else { continue }
            for name in names {
                for word in name.split(separator: " ") where word.count >= 3 && word.allSatisfy({ $0.isLetter }) && word.first!.isUppercase {
                    words.insert(String(word))
                }
            }
        }
        entertainmentWords = words.sorted()
    }

    private func pick(_ list: [String], _ random: inout SeededRandomGenerator) -> String {
        list[random.index(below: list.count)]
    }

    private func two(_ list: [String], _ random: inout SeededRandomGenerator) -> (String, String) {
        let first = random.index(below: list.count)
        var second = random.index(below: list.count - 1)
        if second >= first { second += 1 }
        return (list[first], list[second])
    }

    /// Word-level crossover of two real seed names of the genre (a prefix of one, a suffix of another).
    private func crossover(genre: String, _ random: inout SeededRandomGenerator) -> String? {
        guard let seeds = seedsByGenre[genre], seeds.count >= 2 else { return nil }
        let a = seeds[random.index(below: seeds.count)], b = seeds[random.index(below: seeds.count)]
        guard a.count >= 2, b.count >= 2 else { return nil }
        let cutA = 1 + random.index(below: a.count - 1), cutB = 1 + random.index(below: b.count - 1)
        return (a[..<cutA] + b[cutB...]).joined(separator: " ")
    }

    private func number(_ low: Int, _ high: Int, _ random: inout SeededRandomGenerator) -> Int {
        low + random.index(below: high - low + 1)
    }

    private func possessive(_ name: String, _ random: inout SeededRandomGenerator) -> String {
        // Real names carry the apostrophe about half the time (`Virat's` and `Virats`).
        random.bernoulli(0.5) ? name + "'s" : name + "s"
    }

    private func serialName(_ random: inout SeededRandomGenerator) -> String {
        let words = random.bernoulli(0.5) ? V.indianWords : entertainmentWords
        switch random.index(below: 9) {
        case 0: return pick(words, &random)
        case 1, 2: return "\(pick(words, &random)) \(pick(V.indianWords, &random))"
        case 3, 4: return "\(pick(words, &random)) \(pick(V.connectors, &random)) \(pick(V.indianWords, &random))"
        case 5: return "\(pick(V.indianWords, &random)) \(pick(V.connectors, &random)) \(pick(words, &random)) \(pick(V.connectors, &random))"
        case 6: return "Ek \(pick(V.indianWords, &random)) \(pick(words, &random))"
        case 7: return "\(pick(words, &random)) - \(pick(V.indianWords, &random)) \(pick(V.indianWords, &random)) \(pick(V.indianWords, &random))"
        default: return "The \(pick(V.englishWords, &random)) \(pick(V.englishWords, &random))"
        }
    }

    /// One candidate name for `genre` (may repeat; the caller rejects duplicates).
    mutating func makeName(genre: String, random: inout SeededRandomGenerator) -> String {
        if random.bernoulli(0.18), let crossed = crossover(genre: genre, &random) { return crossed }
        switch genre {
        case "Cricket": return cricketName(&random)
        case "Football": return footballName(&random)
        case "Kabaddi": return kabaddiName(&random)
        case "Badminton": return badmintonName(&random)
        case "Hockey": return hockeyName(&random)
        case "Awards": return awardsName(&random)
        case "Reality": return realityName(&random)
        case "TalkShow": return talkShowName(&random)
        case "Crime": return crimeName(&random)
        case "Mythology": return mythologyName(&random)
        case "Wildlife": return wildlifeName(&random)
        default:
            if let name = smallSportName(genre: genre, &random) { return name }
            if let name = factualName(genre: genre, &random) { return name }
            return serialOrFilmName(&random)
        }
    }

    /// Badminton: wins, tournament matches and PBL ties.
    private func badmintonName(_ random: inout SeededRandomGenerator) -> String {
        let (p, q) = two(V.badmintonPlayers, &random)
        switch random.index(below: 5) {
        case 0: return "\(p) Beats \(q) in \(pick(V.badmintonEvents, &random)) \(pick(V.rounds, &random))"
        case 1: return "\(pick(V.badmintonEvents, &random)) \(number(2014, 2017, &random)): \(p) vs \(q)"
        case 2: let (a, b) = two(V.pblTeams, &random); return "PBL \(number(2016, 2017, &random)): \(a) vs \(b)"
        case 3: return "\(p) Survives \(q) Scare"
        default: return "\(possessive(p, &random)) \(pick(V.cricketAdjectives, &random)) Smash vs \(q)"
        }
    }

    /// Hockey: HIL matches and India internationals.
    private func hockeyName(_ random: inout SeededRandomGenerator) -> String {
        let (a, b) = two(V.hockeyTeams, &random)
        switch random.index(below: 3) {
        case 0: return "HIL \(number(2013, 2017, &random)): \(a) vs \(b)"
        case 1: return "\(a) vs \(b) \(pick(V.languages, &random))"
        default: return "India vs \(pick(V.countries.dropFirst().map { $0 }, &random)) Hockey \(pick(V.rounds, &random))"
        }
    }

    /// Award shows of the channels and the Filmfare nights.
    private func awardsName(_ random: inout SeededRandomGenerator) -> String {
        let channel = pick(["Star", "Asianet", "Star Jalsha", "Star Maa", "Vijay", "Star Pravah", "Suvarna", "Star Screen"], &random)
        switch random.index(below: 3) {
        case 0: return "\(channel) \(pick(V.awardKinds, &random)) Awards \(number(2012, 2017, &random))"
        case 1: return "\(number(55, 64, &random))th Filmfare Awards\(random.bernoulli(0.3) ? " - Red Carpet" : "")"
        default: return "\(channel) \(pick(V.awardKinds, &random)) Awards"
        }
    }

    /// Reality shows: seasons, extras and episodes.
    private func realityName(_ random: inout SeededRandomGenerator) -> String {
        let show = pick(["Dance", "Nach Baliye", "Jhalak Dikhhla Jaa", "Khatron Ke Khiladi", "Bigg Boss", "Super Singer",
                         "Comedy Stars", "India's Dancing Superstar", "Rising Star", "Super Jodi", "Dance Jodi Dance",
                         "Star Vijay Kalakka Povathu Yaaru", "Dadagiri", "Sa Re Ga Ma Pa", "Nach Le", "Ultimate Panga"], &random)
        switch random.index(below: 6) {
        case 0: return "\(show) \(number(2, 12, &random))"
        case 1: return "\(show) +"
        case 2: return "\(show) + Extras"
        case 3: return "\(show) - Episode \(number(1, 40, &random))"
        case 4: return "\(show) \(pick(["Extras", "Once More", "Unseen", "Grand Finale", "Auditions"], &random))"
        default: return serialName(&random)
        }
    }

    /// Talk shows and interviews.
    private func talkShowName(_ random: inout SeededRandomGenerator) -> String {
        switch random.index(below: 5) {
        case 0: return "Koffee With \(pick(["Karan", "Shah Rukh", "Alia", "Ranveer", "Kajol"], &random)) \(number(1, 20, &random))"
        case 1: return "\(serialName(&random)) Special Interview"
        case 2: return "In Conversation with \(pick(V.indianWords, &random))"
        case 3: return "Neeya Naana \(number(1, 300, &random))"
        default: return serialName(&random)
        }
    }

    /// Crime serials.
    private func crimeName(_ random: inout SeededRandomGenerator) -> String {
        switch random.index(below: 4) {
        case 0: return "Savdhaan India - \(pick(["India Fights Back", "Crime Alert", "F.I.R", "Nayi Soch"], &random).replacingDots())"
        case 1: return "Crime Patrol \(number(1, 400, &random))"
        case 2: return "CID  \(pick(V.indianWords, &random))"
        default: return serialName(&random)
        }
    }

    /// Mythological serials.
    private func mythologyName(_ random: inout SeededRandomGenerator) -> String {
        let (g, h) = two(V.gods, &random)
        switch random.index(below: 5) {
        case 0: return "Jai \(g)"
        case 1: return "\(g) Aur \(h)"
        case 2: return "\(g) Ki Katha"
        case 3: return "Devon Ke Dev___ \(g)"
        default: return "\(g) \(pick(V.indianWords, &random))"
        }
    }

    /// Wildlife documentaries.
    private func wildlifeName(_ random: inout SeededRandomGenerator) -> String {
        let animal = pick(V.animals, &random)
        switch random.index(below: 4) {
        case 0: return "\(animal)s of \(pick(V.places, &random))"
        case 1: return "Wild \(animal)"
        case 2: return "\(animal) \(pick(["Attack", "Kingdom", "Island", "Diaries", "Hunt"], &random))"
        default: return "World's Deadliest \(animal)s"
        }
    }

    /// Sports with one or two name patterns (and the live channels); nil for other genres.
    private func smallSportName(genre: String, _ random: inout SeededRandomGenerator) -> String? {
        switch genre {
        case "Tennis":
            let (p, q) = two(V.tennisPlayers, &random)
            return random.bernoulli(0.5)
                ? "\(pick(V.tennisEvents, &random)): \(p) vs \(q)"
                : "\(p) Beats \(q) in \(pick(V.tennisEvents, &random)) \(pick(V.rounds, &random))"
        case "Formula1":
            return "\(pick(V.grandPrix, &random)) Grand Prix \(pick(V.racingSessions, &random))"
        case "FormulaE":
            return "\(pick(V.formulaECities, &random)) ePrix \(pick(V.racingSessions, &random))"
        case "Athletics":
            return "\(pick(V.athleticsEvents, &random)) Final: \(pick(V.athleticsMeets, &random)) \(number(2015, 2017, &random))"
        case "Table Tennis":
            let (a, b) = two(V.tableTennisTeams, &random)
            return "UTT \(number(2017, 2017, &random)): \(a) vs \(b)"
        case "Volleyball":
            let (a, b) = two(V.volleyballTeams, &random)
            return "PVL: \(a) vs \(b)"
        case "Boxing":
            let (a, b) = two(V.boxers, &random)
            return "\(a) vs \(b): Fight Night"
        case "Swimming":
            return "\(pick(V.swimmingEvents, &random)) Final"
        case "IndiaVsSa":
            return random.bernoulli(0.5) ? "India vs SA Live" : "IndiaVsSa \(pick(V.formats, &random)) \(number(1, 5, &random))"
        case "Sport":
            switch random.index(below: 4) {
            case 0: return "\(pick(V.sports, &random))_Replay_\(number(1, 40, &random))"
            case 1: return "\(pick(V.sports, &random)) Replay \(number(1, 60, &random))"
            case 2: return "Best of \(pick(V.sports, &random)) \(number(2010, 2017, &random))"
            default: return "\(pick(V.sports, &random))_highlights_\(number(1, 30, &random))"
            }
        case "LiveTV":
            let channel = pick(V.channels, &random)
            return random.bernoulli(0.3) ? channel + " " : (random.bernoulli(0.2) ? channel + " HD" : channel)
        default:
            return nil
        }
    }

    /// Travel, science, documentary, kids, horror, teen and untagged titles; nil for other genres.
    private func factualName(genre: String, _ random: inout SeededRandomGenerator) -> String? {
        switch genre {
        case "Travel":
            let place = pick(V.places, &random)
            return random.bernoulli(0.5) ? "\(place) Diaries" : "Journey to \(place)\(random.bernoulli(0.3) ? " \(number(2, 5, &random))" : "")"
        case "Science":
            return "\(pick(["How It Works", "Brain Games", "Mega Factories", "Science of Stupid", "Inside"], &random)): \(pick(V.englishWords, &random)) \(pick(V.englishWords, &random))"
        case "Documentary":
            return "The Story of \(pick(V.englishWords, &random)) \(pick(V.places, &random))"
        case "Kids":
            return random.bernoulli(0.5) ? "\(pick(V.indianWords, &random)) Ki Duniya" : "Little \(pick(V.englishWords, &random)) \(number(1, 9, &random))"
        case "Horror":
            return random.bernoulli(0.4) ? "\(pick(V.indianWords, &random)) Ka Saaya" : "Aahat \(number(1, 200, &random))"
        case "Teen":
            return random.bernoulli(0.5) ? "Campus \(pick(V.indianWords, &random))" : "\(pick(V.indianWords, &random)) High"
        case "NA":
            return "\(pick(V.englishWords, &random))_\(number(1, 99, &random))"
        default:
            return nil
        }
    }

    /// Drama, Romance, Comedy, Family, Action, Thriller: serials and films.
    private func serialOrFilmName(_ random: inout SeededRandomGenerator) -> String {
        switch random.index(below: 7) {
        case 0: return "\(serialName(&random)) \(number(2, 4, &random))"
        case 1: return "\(serialName(&random)) - The Making"
        case 2: return "\(pick(entertainmentWords, &random)): \(pick(V.englishWords, &random)) \(pick(V.englishWords, &random))"
        default: return serialName(&random)
        }
    }

    private func cricketName(_ random: inout SeededRandomGenerator) -> String {
        let (p, q) = two(V.cricketers, &random)
        let (t, u) = two(V.countries, &random)
        let (a, b) = two(V.iplTeams, &random)
        let n = number(10, 210, &random)
        switch random.index(below: 20) {
        case 0, 1:
            let format = pick(V.formats, &random), language = pick(V.languages, &random), ordinal = pick(V.ordinals, &random)
            return random.bernoulli(0.15)
                ? "\(t) vs \(u) | \(ordinal) \(format) | \(language)"
                : "\(t) vs \(u) \(ordinal) \(format) \(language)"
        case 2: return "\(t) vs \(u) Day \(number(1, 5, &random)) \(pick(V.languages, &random))"
        case 3: return "\(a) vs \(b)\(random.bernoulli(0.4) ? " \(pick(V.languages, &random))" : "")"
        case 4: return "\(possessive(p, &random)) \(n)\(random.bernoulli(0.3) ? "*" : "") \(pick(V.cricketVerbs, &random)) \(pick(V.countryShort, &random))"
        case 5: return "Wicket! \(p) \(pick(["Departs", "Falls", "Goes Cheaply", "Holes Out", "Is Run Out"], &random))"
        case 6: return "Six! \(p) Gets to \(n) in Style"
        case 7: return "\(number(4, 99, &random))! \(p) Takes on \(q)"
        case 8: return "Top Moments ft_ \(possessive(p, &random)) \(pick(V.cricketAdjectives, &random)) \(pick(V.cricketNouns, &random))"
        case 9: return "Day \(number(1, 5, &random)): \(t) \(pick(V.cricketVerbs, &random)) \(pick(V.countryShort, &random))"
        case 10: return "\(pick(V.ordinals, &random)) \(pick(V.formats, &random)): \(possessive(p, &random)) \(number(2, 6, &random))-\(number(10, 80, &random)) \(pick(V.cricketVerbs, &random)) \(pick(V.countryShort, &random))"
        case 11: return "\(number(1999, 2016, &random)): \(t) Beat \(u) by \(number(2, 150, &random)) Runs"
        case 12: return "All \(number(4, 20, &random)) Sixes from \(a) vs \(b)"
        case 13: return "\(p) \(pick(V.cricketVerbs, &random)) \(q) with \(pick(V.cricketAdjectives, &random)) \(n)"
        case 14: let (d, e) = two(V.domesticTeams, &random); return "\(pick(["QF", "SF", "Final", "Ranji Trophy", "Vijay Hazare", "Duleep Trophy"], &random)): \(d) vs \(e)"
        case 15: let (h, s) = two(V.bblTeams, &random); return "\(h) \(pick(["Crush", "Edge", "Beat", "Stun", "Down"], &random)) \(s)\(random.bernoulli(0.3) ? " to Enter Final" : "")"
        case 16: return "\(number(1, 31, &random)) \(pick(["April", "May"], &random)): \(possessive(p, &random)) \(number(20, 60, &random))-ball \(n) vs \(b)"
        case 17: return "\(pick(V.cricketAdjectives, &random)) \(p) \(pick(["Powers", "Lifts", "Drags", "Carries"], &random)) \(a) to \(pick(["Win", "Victory", "Safety", "the Playoffs"], &random))"
        case 18: return "Team Profile: \(a)"
        default: return "\(p) \(pick(["Smashes", "Nicks", "Lofts", "Edges", "Sweeps"], &random)) \(q) \(pick(["for Four", "for Six", "onto the Roof", "to Slip", "over Cover"], &random))"
        }
    }

    private func footballName(_ random: inout SeededRandomGenerator) -> String {
        let (c, d) = two(V.footballClubs, &random)
        let score = "\(number(0, 5, &random))-\(number(0, 4, &random))"
        switch random.index(below: 7) {
        case 0, 1: return "\(c) vs \(d)"
        case 2: return "\(c) \(score) \(d)"
        case 3: return "GW \(number(1, 38, &random)) \(random.bernoulli(0.5) ? "HLs" : "Highlights"): \(c) \(score) \(d)"
        case 4: return "Preview: \(c) Visit \(d)"
        case 5: let (i, j) = two(V.islClubs, &random); return "Hero ISL \(i) vs \(j)\(random.bernoulli(0.3) ? ": Highlights" : "")"
        default: return "\(c) vs \(d): \(pick(["Top Goals", "Match Highlights", "Extended Highlights", "Post-match Reaction"], &random))"
        }
    }

    private func kabaddiName(_ random: inout SeededRandomGenerator) -> String {
        let (k, l) = two(V.kabaddiTeams, &random)
        switch random.index(below: 6) {
        case 0, 1: return "\(k) vs \(l)"
        case 2: return "Top Raids: \(k) vs \(l)"
        case 3: return "Top Tackles: \(k) vs \(l)"
        case 4: return "\(k) beat \(l) \(number(25, 45, &random))-\(number(18, 35, &random))\(random.bernoulli(0.3) ? " " : "")"
        default: return "PKL \(number(2014, 2017, &random)): \(possessive(pick(V.kabaddiPlayers, &random), &random)) Super \(number(5, 20, &random))"
        }
    }

    /// Adds the real files' noise to some generated names: trailing or doubled spaces, `_` for `.`, `!`.
    static func roughen(_ name: String, genre: String, random: inout SeededRandomGenerator) -> String {
        var name = name
        let roll = random.uniform()
        if roll < 0.025 {
            name += " "  // `Star Plus :240`
        } else if roll < 0.032, let space = name.firstIndex(of: " ") {
            name.replaceSubrange(space ... space, with: "  ")
        } else if roll < 0.040 {
            name += random.bernoulli(0.5) ? " No_ \(1 + random.index(below: 9))" : " ft_ \(NameVocabulary.indianWords[random.index(below: NameVocabulary.indianWords.count)])"
        } else if roll < 0.046, genre != "Cricket" {
            name += "!"
        } else if roll < 0.049 {
            name = " " + name
        }
        return name
    }

    /// True when `name` cannot be misread by the `name:seconds` format: non-empty and no comma piece
    /// that itself ends in `:<digits>`.
    static func isWellFormed(_ name: String) -> Bool {
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else { return false }
        for piece in name.split(separator: ",", omittingEmptySubsequences: false) {
            if let colon = piece.lastIndex(of: ":") {
                let tail = piece[piece.index(after: colon)...]
                if !tail.isEmpty && tail.allSatisfy({ $0.isASCII && $0.isNumber }) { return false }
            }
        }
        return true
    }
}

extension String {
    /// `F.I.R` → `F_I_R`: the real files replaced dots with underscores.
    fileprivate func replacingDots() -> String { replacingOccurrences(of: ".", with: "_") }
}
