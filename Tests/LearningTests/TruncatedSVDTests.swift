import Testing
@testable import Learning

@Suite struct TruncatedSVDTests {
    /// 5 × 4 matrix; singular values checked against Jacobi on AᵀA (slow exact reference).
    static let dense: [[Float]] = [[3, 0, 1, 0], [0, 2, 0, 1], [1, 0, 4, 0], [0, 1, 0, 5], [2, 2, 0, 0]]

    @Test func singularValuesMatchExactReference() throws {
        let n = 4
        var ata = [Double](repeating: 0, count: n * n)
        for row in Self.dense { for i in 0 ..< n { for j in 0 ..< n { ata[i * n + j] += Double(row[i] * row[j]) } } }
        let exact = symmetricEigen(ata, size: n).0.map { max(0, $0).squareRoot() }.sorted(by: >)
        var svd = try TruncatedSVD(componentCount: 3, oversampleCount: 1, powerIterationCount: 3, seed: 7)
        _ = try svd.fitTransform(sparse(Self.dense))
        for k in 0 ..< 3 { #expect(abs(svd.singularValues[k] - exact[k]) < 1e-6) }
    }

    @Test func deterministicWithPositiveLargestLoading() throws {
        var first = try TruncatedSVD(componentCount: 2, seed: 3)
        var second = try TruncatedSVD(componentCount: 2, seed: 3)
        let a = try first.fitTransform(sparse(Self.dense))
        let b = try second.fitTransform(sparse(Self.dense))
        #expect(a == b)
        for k in 0 ..< 2 {
            let row = first.components[k * 4 ..< (k + 1) * 4]
            let largest = row.max { abs($0) < abs($1) }!
            #expect(largest > 0)
        }
    }

    @Test func rejectsBadParameters() {
        #expect(throws: TruncatedSVDError.self) { try TruncatedSVD(componentCount: 0) }
    }
}
