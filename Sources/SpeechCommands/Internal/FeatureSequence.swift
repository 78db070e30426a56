/// A clip's features: `frameCount` vectors of `dimension` values, stored row by row so DTW
/// walks memory in order.
package struct FeatureSequence: Sendable, Hashable {
    package var frameCount: Int
    package var dimension: Int
    package var values: [Float]

    init(frameCount: Int, dimension: Int, values: [Float]) {
        precondition(values.count == frameCount * dimension, "feature values do not fill the frames")
        self.frameCount = frameCount
        self.dimension = dimension
        self.values = values
    }

    /// The same sequence with every value rounded to half precision, as the serialized model
    /// stores it; training keeps templates in this form so a reloaded model scores identically.
    func roundedToHalfPrecision() -> FeatureSequence {
        FeatureSequence(frameCount: frameCount, dimension: dimension, values: values.map { Float(Float16($0)) })
    }
}
