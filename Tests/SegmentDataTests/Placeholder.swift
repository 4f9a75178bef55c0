import Testing
@testable import SegmentData

@Test func segmentdataBuilds() { #expect(Bool(true)) }
