/// Picks a few representative sequences (medoids) of one word, so recognition compares a clip
/// with a bounded number of templates however many clips were trained on.
///
/// k-medoids under the DTW distance: a greedy build (each new medoid is the candidate that
/// lowers the total distance most) then a few rounds of moving each medoid to the member of its
/// cluster closest to the others. At most `4 * count` candidates, spread evenly over the
/// word's sequences, are considered, which bounds the pairwise distances at 16 count^2 / 2.
enum PrototypeSelector {
    /// The sequences `medoids(of:count:...)` considers (at most `4 * count`, spread evenly), so
    /// callers can prepare only those.
    static func candidateIndices(total: Int, count: Int) -> [Int] {
        guard total > count else { return Array(0..<total) }
        let sampleSize = min(total, 4 * count)
        return (0..<sampleSize).map { $0 * total / sampleSize }
    }

    static func medoids(
        of sequences: [FeatureSequence],
        count: Int,
        bandFraction: Float,
        metric: DynamicTimeWarping.FrameMetric = .euclidean,
        checkpoint: () async throws -> Void
    ) async throws -> [Int] {
        guard sequences.count > count else { return Array(sequences.indices) }
        let candidates = candidateIndices(total: sequences.count, count: count)
        let n = candidates.count
        var distance = [Float](repeating: 0, count: n * n)
        for i in 0..<n {
            try await checkpoint()
            for j in (i + 1)..<n {
                let d = DynamicTimeWarping.distance(
                    sequences[candidates[i]],
                    sequences[candidates[j]],
                    bandFraction: bandFraction,
                    metric: metric
                )
                let finite = d.isFinite ? d : 1e6  // outside the band: as far as it gets
                distance[i * n + j] = finite
                distance[j * n + i] = finite
            }
        }
        var medoids: [Int] = []
        var nearest = [Float](repeating: .infinity, count: n)
        for _ in 0..<count {
            var best = -1
            var bestTotal = Float.infinity
            for candidate in 0..<n where !medoids.contains(candidate) {
                var total: Float = 0
                for point in 0..<n { total += min(nearest[point], distance[candidate * n + point]) }
                if total < bestTotal { (best, bestTotal) = (candidate, total) }
            }
            medoids.append(best)
            for point in 0..<n { nearest[point] = min(nearest[point], distance[best * n + point]) }
        }
        for _ in 0..<4 {
            try await checkpoint()
            let owner = (0..<n).map { point in medoids.indices.min { distance[medoids[$0] * n + point] < distance[medoids[$1] * n + point] }! }
            var moved = false
            for cluster in medoids.indices {
                let members = (0..<n).filter { owner[$0] == cluster }
                let centre = members.min { a, b in
                    members.reduce(0) { $0 + distance[a * n + $1] } < members.reduce(0) { $0 + distance[b * n + $1] }
                }
                if let centre, centre != medoids[cluster] {
                    medoids[cluster] = centre
                    moved = true
                }
            }
            if !moved { break }
        }
        return medoids.map { candidates[$0] }.sorted()
    }
}
