import Foundation
import SNETTraining
import Testing

@Suite("Dataset pricing arithmetic: whole cogs, no overflow")
struct DatasetPricingTests {
    static let mebibyte: UInt64 = 1 << 20

    static let boundaries: [(UInt64, UInt64)] = [
        (0, 0), (1, 1), (mebibyte - 1, 1), (mebibyte, 1), (mebibyte + 1, 2), (3 * mebibyte, 3),
        (.max, .max / mebibyte + 1),
    ]

    @Test("MiB are counted as started", arguments: boundaries)
    func startedMebibytes(bytes: UInt64, mebibytes: UInt64) {
        #expect(DatasetPricing.Rate(perMebibyte: 1).price(bytes: bytes, files: 0) == mebibytes)
    }

    @Test("base + per MiB + per file")
    func sum() {
        let rate = DatasetPricing.Rate(base: 1_000, perMebibyte: 200, perFile: 3)
        #expect(rate.price(bytes: 0, files: 0) == 1_000)
        #expect(rate.price(bytes: 2 * Self.mebibyte + 5, files: 10) == 1_000 + 3 * 200 + 30)
    }

    @Test("sums and products saturate at UInt64.max, then the maximum applies")
    func saturation() {
        #expect(DatasetPricing.Rate(base: .max, perFile: 1).price(bytes: 0, files: 1) == .max)
        #expect(DatasetPricing.Rate(perMebibyte: .max).price(bytes: 2 * Self.mebibyte, files: 0) == .max)
        #expect(DatasetPricing.Rate(perFile: 1 << 40).price(bytes: 0, files: 1 << 40) == .max)
        #expect(DatasetPricing.Rate(base: .max - 1, perFile: 1, maximum: 77).price(bytes: 0, files: 5) == 77)
        #expect(DatasetPricing.Rate(base: .max - 1, perFile: 1).price(bytes: 0, files: 1) == .max)
    }

    @Test("minimum and maximum bound the price; the maximum wins when they contradict")
    func bounds() {
        #expect(DatasetPricing.Rate(base: 5, minimum: 100).price(bytes: 0, files: 0) == 100)
        #expect(DatasetPricing.Rate(base: 500, maximum: 100).price(bytes: 0, files: 0) == 100)
        #expect(DatasetPricing.Rate(base: 50, minimum: 100, maximum: 10).price(bytes: 0, files: 0) == 10)
    }

    @Test("an unknown quantity with a rate is priced at the maximum; without a rate it does not matter")
    func unknown() {
        #expect(DatasetPricing.Rate(base: 1, perMebibyte: 1, maximum: 500).price(bytes: nil, files: 3) == 500)
        #expect(DatasetPricing.Rate(base: 1, perFile: 1, maximum: 500).price(bytes: 10, files: nil) == 500)
        #expect(DatasetPricing.Rate(base: 1, perFile: 1).price(bytes: nil, files: 2) == 3)
    }

    @Test("validation uses the method's declared limits; training the validated dataset")
    func requests() async throws {
        let method = TrainableMethod(
            name: MethodName(service: "s.S", method: "m"),
            options: TrainingOptions(datasetMaxSizeMB: 10, datasetMaxCountFiles: 20)
        )
        let model = ModelRecord(id: "x", method: method.name, now: .now)
        let pricing = DatasetPricing(
            validation: .init(base: 1, perMebibyte: 2, perFile: 3),
            training: .init(perMebibyte: 5, perFile: 7)
        )
        #expect(try await pricing.validationPrice(ValidationPriceRequest(model: model, method: method)) == 1 + 20 + 60)
        #expect(
            try await pricing.validationPrice(ValidationPriceRequest(model: model, method: method, datasetBytes: 1))
                == 1 + 2 + 60
        )
        let dataset = DatasetStatistics(fileCount: 4, totalBytes: Self.mebibyte + 1, archiveBytes: 10)
        #expect(
            try await pricing.trainingPrice(TrainingPriceRequest(model: model, method: method, dataset: dataset)) == 10
                + 28
        )
        #expect(try await pricing.trainingPrice(TrainingPriceRequest(model: model, method: method)) == 50 + 140)
    }
}
