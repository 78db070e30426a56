import Foundation

/// EXPERIMENT: linear discriminant analysis over spliced frames. Classes are (word, segment of
/// the clip); the projection maximises between-class over within-class scatter, and the
/// within-class scatter includes the speakers and the altered copies, so directions that mostly
/// carry speaker variation are suppressed. Output frames have identity within-class covariance.
struct DiscriminantProjection: Sendable, Hashable {
    var context: Int
    var inputDimension: Int  // per frame, before splicing
    var outputDimension: Int
    var mean: [Float]  // spliced dimension
    var matrix: [Float]  // outputDimension x spliced dimension

    var splicedDimension: Int { inputDimension * (2 * context + 1) }

    func projected(_ sequence: FeatureSequence) -> FeatureSequence {
        let spliced = splicedDimension
        var output = [Float](repeating: 0, count: sequence.frameCount * outputDimension)
        var row = [Float](repeating: 0, count: spliced)
        for frame in 0..<sequence.frameCount {
            Self.splice(sequence, frame: frame, context: context, into: &row)
            for d in 0..<spliced { row[d] -= mean[d] }
            for o in 0..<outputDimension {
                var sum: Float = 0
                for d in 0..<spliced { sum += matrix[o * spliced + d] * row[d] }
                output[frame * outputDimension + o] = sum
            }
        }
        return FeatureSequence(frameCount: sequence.frameCount, dimension: outputDimension, values: output)
    }

    static func splice(_ sequence: FeatureSequence, frame: Int, context: Int, into row: inout [Float]) {
        let dimension = sequence.dimension
        var position = 0
        for offset in -context...context {
            let source = min(sequence.frameCount - 1, max(0, frame + offset)) * dimension
            for d in 0..<dimension {
                row[position] = sequence.values[source + d]
                position += 1
            }
        }
    }

    /// `sequencesByWord`: every training sequence; each frame's class is its word and which of
    /// `segments` equal parts of its sequence it lies in.
    static func fit(
        _ sequencesByWord: [[FeatureSequence]], context: Int, segments: Int, outputDimension: Int, regularisation: Double
    ) -> DiscriminantProjection {
        let inputDimension = sequencesByWord.first { !$0.isEmpty }!.first!.dimension
        let d = inputDimension * (2 * context + 1)
        let classCount = sequencesByWord.count * segments
        var classSums = [Double](repeating: 0, count: classCount * d)
        var classCounts = [Double](repeating: 0, count: classCount)
        var total = [Double](repeating: 0, count: d * d)  // sum of x x^T
        var row = [Float](repeating: 0, count: d)
        var n = 0.0
        for (word, sequences) in sequencesByWord.enumerated() {
            for sequence in sequences {
                for frame in 0..<sequence.frameCount {
                    splice(sequence, frame: frame, context: context, into: &row)
                    let cls = word * segments + min(segments - 1, frame * segments / sequence.frameCount)
                    classCounts[cls] += 1
                    n += 1
                    for i in 0..<d {
                        let xi = Double(row[i])
                        classSums[cls * d + i] += xi
                        for j in i..<d { total[i * d + j] += xi * Double(row[j]) }
                    }
                }
            }
        }
        for i in 0..<d { for j in 0..<i { total[i * d + j] = total[j * d + i] } }
        var globalMean = [Double](repeating: 0, count: d)
        for c in 0..<classCount { for i in 0..<d { globalMean[i] += classSums[c * d + i] } }
        for i in 0..<d { globalMean[i] /= n }
        // Between: sum_c n_c (m_c - m)(m_c - m)^T; within: total - sum_c n_c m_c m_c^T.
        var between = [Double](repeating: 0, count: d * d)
        var within = total
        for c in 0..<classCount where classCounts[c] > 0 {
            let count = classCounts[c]
            for i in 0..<d {
                let mi = classSums[c * d + i] / count
                for j in 0..<d {
                    let mj = classSums[c * d + j] / count
                    within[i * d + j] -= count * mi * mj
                    between[i * d + j] += count * (mi - globalMean[i]) * (mj - globalMean[j])
                }
            }
        }
        var trace = 0.0
        for i in 0..<d { trace += within[i * d + i] }
        for i in 0..<d { within[i * d + i] += regularisation * trace / Double(d) }
        for i in 0..<(d * d) {
            within[i] /= n
            between[i] /= n
        }
        // Cholesky within = L L^T; M = L^-1 B L^-T; eigenvectors u of M give v = L^-T u.
        let lower = cholesky(within, d)
        let inverse = lowerInverse(lower, d)
        let m = multiply(multiply(inverse, between, d), transpose(inverse, d), d)
        let (values, vectors) = jacobiEigen(m, d)
        let order = (0..<d).sorted { values[$0] > values[$1] }
        let inverseT = transpose(inverse, d)
        var matrix = [Float](repeating: 0, count: outputDimension * d)
        for (o, k) in order.prefix(outputDimension).enumerated() {
            for i in 0..<d {
                var sum = 0.0
                for j in 0..<d { sum += inverseT[i * d + j] * vectors[j * d + k] }
                matrix[o * d + i] = Float(sum)
            }
        }
        return DiscriminantProjection(
            context: context, inputDimension: inputDimension, outputDimension: outputDimension,
            mean: globalMean.map { Float($0) }, matrix: matrix)
    }

    private static func cholesky(_ a: [Double], _ d: Int) -> [Double] {
        var l = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for j in 0...i {
                var sum = a[i * d + j]
                for k in 0..<j { sum -= l[i * d + k] * l[j * d + k] }
                l[i * d + j] = i == j ? sqrt(max(sum, 1e-12)) : sum / l[j * d + j]
            }
        }
        return l
    }

    private static func lowerInverse(_ l: [Double], _ d: Int) -> [Double] {
        var inv = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            inv[i * d + i] = 1 / l[i * d + i]
            for j in 0..<i {
                var sum = 0.0
                for k in j..<i { sum -= l[i * d + k] * inv[k * d + j] }
                inv[i * d + j] = sum / l[i * d + i]
            }
        }
        return inv
    }

    private static func transpose(_ a: [Double], _ d: Int) -> [Double] {
        var t = a
        for i in 0..<d { for j in 0..<d { t[i * d + j] = a[j * d + i] } }
        return t
    }

    private static func multiply(_ a: [Double], _ b: [Double], _ d: Int) -> [Double] {
        var c = [Double](repeating: 0, count: d * d)
        for i in 0..<d {
            for k in 0..<d {
                let aik = a[i * d + k]
                if aik == 0 { continue }
                for j in 0..<d { c[i * d + j] += aik * b[k * d + j] }
            }
        }
        return c
    }

    /// Eigenvalues and eigenvectors (columns) of a symmetric matrix, cyclic Jacobi.
    private static func jacobiEigen(_ input: [Double], _ d: Int) -> ([Double], [Double]) {
        var a = input
        var v = [Double](repeating: 0, count: d * d)
        for i in 0..<d { v[i * d + i] = 1 }
        for _ in 0..<50 {
            var off = 0.0
            for i in 0..<d { for j in (i + 1)..<max(i + 1, d) { off += a[i * d + j] * a[i * d + j] } }
            if off < 1e-18 { break }
            for p in 0..<d {
                for q in (p + 1)..<max(p + 1, d) {
                    let apq = a[p * d + q]
                    if abs(apq) < 1e-15 { continue }
                    let theta = (a[q * d + q] - a[p * d + p]) / (2 * apq)
                    let t = (theta >= 0 ? 1.0 : -1.0) / (abs(theta) + sqrt(theta * theta + 1))
                    let c = 1 / sqrt(t * t + 1)
                    let s = t * c
                    for k in 0..<d {
                        let akp = a[k * d + p]
                        let akq = a[k * d + q]
                        a[k * d + p] = c * akp - s * akq
                        a[k * d + q] = s * akp + c * akq
                    }
                    for k in 0..<d {
                        let apk = a[p * d + k]
                        let aqk = a[q * d + k]
                        a[p * d + k] = c * apk - s * aqk
                        a[q * d + k] = s * apk + c * aqk
                    }
                    for k in 0..<d {
                        let vkp = v[k * d + p]
                        let vkq = v[k * d + q]
                        v[k * d + p] = c * vkp - s * vkq
                        v[k * d + q] = s * vkp + c * vkq
                    }
                }
            }
        }
        return ((0..<d).map { a[$0 * d + $0] }, v)
    }
}
