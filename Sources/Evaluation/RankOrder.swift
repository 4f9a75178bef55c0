/// Groups of tied scores in descending order: the shared machinery of the ranking metrics.
///
/// Rows are sorted by score, highest first; each group holds the rows sharing one score, with
/// its positive and negative counts; labels are 0/1 (any non-zero counts as positive). Sorting is `O(n log n)`; everything after it is one pass.
struct TiedScoreGroups {
    /// The distinct scores, highest first.
    var scores: [Double] = []
    /// Positives in each group.
    var positiveCounts: [Int] = []
    /// Negatives in each group.
    var negativeCounts: [Int] = []
    var totalPositiveCount = 0
    var totalNegativeCount = 0

    init(scores input: [Double], labels: [UInt8]) {
        precondition(input.count == labels.count,
                     "ranking metric: \(input.count) scores but \(labels.count) labels")
        // Sort (score, label) pairs: ties need no stable order since groups only count labels.
        var pairs = [(score: Double, label: UInt8)]()
        pairs.reserveCapacity(input.count)
        // A NaN score ranks lowest (as if −∞) so that sorting stays a strict weak order.
        for i in 0 ..< input.count { pairs.append((input[i].isNaN ? -.infinity : input[i], labels[i] != 0 ? 1 : 0)) }
        pairs.sort { $0.score > $1.score }
        var index = 0
        while index < pairs.count {
            let score = pairs[index].score
            var positives = 0, negatives = 0
            while index < pairs.count, pairs[index].score == score {
                if pairs[index].label != 0 { positives += 1 } else { negatives += 1 }
                index += 1
            }
            scores.append(score)
            positiveCounts.append(positives)
            negativeCounts.append(negatives)
            totalPositiveCount += positives
            totalNegativeCount += negatives
        }
    }
}
