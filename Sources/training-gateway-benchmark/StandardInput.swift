import Foundation

/// Standard input reaching its end: the benchmark closed it, or exited.
enum StandardInput {
    static func closed() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                while !FileHandle.standardInput.availableData.isEmpty {}
                done.resume()
            }
        }
    }
}
