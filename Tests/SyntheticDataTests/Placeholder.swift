import Testing
@testable import SyntheticData

@Test func syntheticdataBuilds() { #expect(Bool(true)) }
