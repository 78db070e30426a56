import Foundation
import Testing
import TrainingCore

@Suite("Job state machine")
struct JobTransitionTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func job() -> TrainingJob { TrainingJob(id: "j", modelID: "m", kind: .train, now: now) }

    @Test("claim, renew and finish by the holder; every claim counts")
    func holderMoves() throws {
        var job = job()
        try job.claim(by: "a", leaseExpiresAt: now + 30)
        #expect(job.state == .running && job.attempts == 1 && job.isHeld(by: "a"))
        try job.renew(by: "a", leaseExpiresAt: now + 60)
        #expect(job.leaseExpiresAt == now + 60)
        try job.finish(.succeeded, by: "a")
        #expect(job.state == .succeeded && job.leaseExpiresAt == nil)
    }

    @Test("nobody but the holder renews or finishes; a finished job never runs again")
    func strangers() throws {
        var job = job()
        #expect(throws: IllegalJobTransition.self) { try job.renew(by: "a", leaseExpiresAt: now) }
        try job.claim(by: "a", leaseExpiresAt: now + 30)
        #expect(throws: IllegalJobTransition.self) { try job.claim(by: "b", leaseExpiresAt: now + 30) }
        #expect(throws: IllegalJobTransition.self) { try job.renew(by: "b", leaseExpiresAt: now + 60) }
        #expect(throws: IllegalJobTransition.self) { try job.finish(.succeeded, by: "b") }
        #expect(throws: IllegalJobTransition.self) { try job.finish(.running, by: "a") }
        try job.finish(.failed, by: "a")
        #expect(throws: IllegalJobTransition.self) { try job.claim(by: "a", leaseExpiresAt: now + 30) }
        #expect(throws: IllegalJobTransition.self) { try job.requeue(countingAttempt: true) }
        #expect(throws: IllegalJobTransition.self) { try job.cancel() }
    }

    @Test("recovery re-queues counted and fails at the attempt limit; release hands back uncounted")
    func requeueing() throws {
        var job = job()
        try job.claim(by: "a", leaseExpiresAt: now + 30)
        #expect(job.leaseExpired(at: now + 31) && !job.leaseExpired(at: now + 29))
        try job.requeue(countingAttempt: false)
        #expect(job.state == .queued && job.attempts == 0 && job.worker == nil)
        try job.claim(by: "a", leaseExpiresAt: now + 30)
        try job.requeue(countingAttempt: true, maxAttempts: 2)
        #expect(job.state == .queued && job.attempts == 1)
        try job.claim(by: "b", leaseExpiresAt: now + 30)
        try job.requeue(countingAttempt: true, maxAttempts: 2)
        #expect(job.state == .failed && job.attempts == 2)
    }

    @Test("queued and running jobs can be cancelled")
    func cancelling() throws {
        var queued = job()
        try queued.cancel()
        #expect(queued.state == .cancelled)
        var running = job()
        try running.claim(by: "a", leaseExpiresAt: now + 30)
        try running.cancel()
        #expect(running.state == .cancelled && !running.isHeld(by: "a"))
    }
}
