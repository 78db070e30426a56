public import Foundation

/// The model file format, version 5 (all little-endian):
///
///     "SCMD"  UInt16 version
///     feature options: UInt32 sampleRate, UInt16 frameLength, hopLength, fftSize, melBandCount,
///                      Float32 lowFrequency, highFrequency, UInt16 cepstrumCount, UInt8 deltas,
///                      Float32 preEmphasis, trimRangeDecibels, dynamicRangeDecibels
///     matcher:         UInt16 neighbours, Float32 bandFraction, temperature, refusal threshold,
///                      UInt8 refusal rule (0: closest score, 1: relative score)
///     words:           UInt16 count, then each as UInt16 byte count + UTF-8
///     templates:       UInt32 count, then each as UInt16 word index, UInt32 frame count,
///                      frameCount x dimension Float16 values (the cepstra and deltas)
///     posteriorgram:   UInt16 components (0: none), then Float32 floor, cepstral weight,
///                      posterior weight, and per component its log weight, log normaliser,
///                      dimension means and dimension inverse variances (Float32)
///     phonetics:       Float32 weight (0: none), then per template its frameCount x 42 phone
///                      posteriors (Float16); the acoustic model itself ships with the library
///     report:          see SpeechCommandReport+Serialization.swift
///     UInt32 FNV-1a checksum of everything before it
///
/// Versions 1 (before the report and refusal threshold), 2 (before the posteriorgram), 3 (before
/// the phonetic score) and 4 (before the refusal rule) are not read: retrain such models. Templates' posteriors are not stored: the mixture recomputes them
/// at loading from the stored (half-precision) cepstra, exactly as training did.
///
/// Templates are stored at half precision (training already rounds them), which halves the size
/// without changing a single recognition. The same model always serializes to the same bytes.
extension SpeechCommandModel {
    private static let magic = Array("SCMD".utf8)
    private static let formatVersion: UInt16 = 5

    /// The model as compact, versioned bytes for storage; `init(serialized:)` reads them back.
    public func serialized() throws -> Data {
        var writer = BinaryWriter()
        for byte in Self.magic { writer.write(byte) }
        writer.write(Self.formatVersion)
        let options = extractor.options
        writer.write(UInt32(options.sampleRate))
        for value in [options.frameLength, options.hopLength, options.fftSize, options.melBandCount] {
            writer.write(UInt16(value))
        }
        writer.write(options.lowFrequency)
        writer.write(options.highFrequency)
        writer.write(UInt16(options.cepstrumCount))
        writer.write(options.includesDeltas)
        writer.write(options.preEmphasis)
        writer.write(options.trimRangeDecibels)
        writer.write(options.dynamicRangeDecibels)
        writer.write(UInt16(matcher.neighbours))
        writer.write(matcher.bandFraction)
        writer.write(calibration.temperature)
        writer.write(calibration.refusalThreshold)
        writer.write(calibration.rule.rawValue)
        writer.write(UInt16(words.count))
        for word in words { writer.write(word) }
        writer.write(UInt32(matcher.templates.count))
        for template in matcher.templates {
            writer.write(UInt16(template.wordIndex))
            writer.write(UInt32(template.features.frameCount))
            let stored = options.dimension
            let features = template.features
            for frame in 0..<features.frameCount {
                for value in features.values[frame * features.dimension..<frame * features.dimension + stored] {
                    writer.write(Float16(value))
                }
            }
        }
        if let mixture = matcher.posteriorgram {
            writer.write(UInt16(mixture.componentCount))
            writer.write(mixture.floor)
            writer.write(matcher.metric.cepstralWeight)
            writer.write(matcher.metric.posteriorWeight)
            for component in 0..<mixture.componentCount {
                writer.write(mixture.logWeights[component])
                writer.write(mixture.logNormalisers[component])
                let values = component * mixture.dimension..<(component + 1) * mixture.dimension
                for value in mixture.means[values] { writer.write(value) }
                for value in mixture.inverseVariances[values] { writer.write(value) }
            }
        } else {
            writer.write(UInt16(0))
        }
        writer.write(matcher.usesPhonetics ? matcher.phoneticWeight : 0)
        if matcher.usesPhonetics {
            for template in matcher.templates {
                for value in template.phonetic?.values ?? [] { writer.write(Float16(value)) }
            }
        }
        report.write(to: &writer)
        writer.write(Checksum.fnv1a(writer.bytes))
        return Data(writer.bytes)
    }

    /// Loads a model written by `serialized()`.
    /// - Throws: `SpeechCommandModelError` for bytes that are not a model, come from an
    ///   unsupported format version, or were damaged.
    public init(serialized data: Data) throws {
        let bytes = [UInt8](data)
        guard bytes.count >= 6, Array(bytes[0..<4]) == Self.magic else {
            throw SpeechCommandModelError(
                code: .notAModel,
                message: "not a speech-commands model (wrong file signature)"
            )
        }
        let version = UInt16(bytes[4]) | UInt16(bytes[5]) << 8
        guard version == Self.formatVersion else {
            throw SpeechCommandModelError(
                code: .unsupportedVersion,
                message:
                    "speech-commands model format version \(version) is not supported (this library reads version \(Self.formatVersion)); retrain the model"
            )
        }
        guard bytes.count >= 10 else { throw Self.corrupt("it is cut short") }
        var trailer = BinaryReader(Array(bytes[(bytes.count - 4)...]))
        guard Checksum.fnv1a(bytes[..<(bytes.count - 4)]) == (try? trailer.read(UInt32.self)) else {
            throw Self.corrupt("checksum mismatch")
        }
        var reader = BinaryReader(Array(bytes[6..<(bytes.count - 4)]))
        do {
            self = try Self.read(&reader)
        } catch let error as SpeechCommandModelError {
            throw error
        } catch {
            throw Self.corrupt("it ends too early")
        }
        guard reader.remaining == 0 else { throw Self.corrupt("unexpected bytes after the report") }
    }

    private static func read(_ reader: inout BinaryReader) throws -> SpeechCommandModel {
        var options = FeatureOptions()
        options.sampleRate = Int(try reader.read(UInt32.self))
        options.frameLength = Int(try reader.read(UInt16.self))
        options.hopLength = Int(try reader.read(UInt16.self))
        options.fftSize = Int(try reader.read(UInt16.self))
        options.melBandCount = Int(try reader.read(UInt16.self))
        options.lowFrequency = try reader.readFloat()
        options.highFrequency = try reader.readFloat()
        options.cepstrumCount = Int(try reader.read(UInt16.self))
        options.includesDeltas = try reader.readBool()
        options.preEmphasis = try reader.readFloat()
        options.trimRangeDecibels = try reader.readFloat()
        options.dynamicRangeDecibels = try reader.readFloat()
        try validate(options)
        let neighbours = Int(try reader.read(UInt16.self))
        let bandFraction = try reader.readFloat()
        let temperature = try reader.readFloat()
        let refusalThreshold = try reader.readFloat()
        guard let rule = RefusalRule(rawValue: try reader.read(UInt8.self)) else { throw corrupt("unknown refusal rule") }
        guard neighbours >= 1, (0...1).contains(bandFraction), temperature.isFinite, temperature > 0,
            refusalThreshold > 0
        else {
            throw corrupt("invalid matcher settings")
        }
        let wordCount = Int(try reader.read(UInt16.self))
        let words = try (0..<wordCount).map { _ in try reader.readString() }
        guard words.count >= 2, Set(words).count == words.count, !words.contains("") else {
            throw corrupt("invalid word list")
        }
        let templateCount = Int(try reader.read(UInt32.self))
        let dimension = options.dimension
        var templates: [TemplateMatcher.Template] = []
        for _ in 0..<templateCount {
            let wordIndex = Int(try reader.read(UInt16.self))
            let frameCount = Int(try reader.read(UInt32.self))
            guard wordIndex < wordCount, frameCount >= 1, frameCount * dimension * 2 <= reader.remaining else {
                throw corrupt("invalid template")
            }
            let values = try (0..<frameCount * dimension).map { _ in Float(try reader.readHalf()) }
            templates.append(
                .init(
                    wordIndex: wordIndex,
                    features: FeatureSequence(frameCount: frameCount, dimension: dimension, values: values)
                )
            )
        }
        guard Set(templates.map(\.wordIndex)).count == wordCount else {
            throw corrupt("a word has no templates")
        }
        var posteriorgram: Posteriorgram?
        var metric = DynamicTimeWarping.FrameMetric.euclidean
        let componentCount = Int(try reader.read(UInt16.self))
        if componentCount > 0 {
            let floor = try reader.readFloat()
            let cepstralWeight = try reader.readFloat()
            let posteriorWeight = try reader.readFloat()
            guard componentCount * (2 + 2 * dimension) * 4 <= reader.remaining else { throw corrupt("invalid posteriorgram") }
            var logWeights: [Float] = []
            var logNormalisers: [Float] = []
            var means: [Float] = []
            var inverseVariances: [Float] = []
            for _ in 0..<componentCount {
                logWeights.append(try reader.readFloat())
                logNormalisers.append(try reader.readFloat())
                means += try (0..<dimension).map { _ in try reader.readFloat() }
                inverseVariances += try (0..<dimension).map { _ in try reader.readFloat() }
            }
            let valid =
                floor > 0 && floor < 1 && cepstralWeight >= 0 && cepstralWeight.isFinite && posteriorWeight > 0
                && posteriorWeight.isFinite && (logWeights + logNormalisers + means).allSatisfy(\.isFinite)
                && inverseVariances.allSatisfy { $0 > 0 && $0.isFinite }
            guard valid else { throw corrupt("invalid posteriorgram") }
            let mixture = Posteriorgram(
                logWeights: logWeights,
                means: means,
                inverseVariances: inverseVariances,
                logNormalisers: logNormalisers,
                dimension: dimension,
                floor: floor
            )
            for index in templates.indices { templates[index].features = mixture.augmented(templates[index].features) }
            posteriorgram = mixture
            metric = .init(cepstralDimension: dimension, cepstralWeight: cepstralWeight, posteriorWeight: posteriorWeight)
        }
        let phoneticWeight = try reader.readFloat()
        guard phoneticWeight >= 0, phoneticWeight.isFinite else { throw corrupt("invalid phonetic weight") }
        var phoneticModel: PhoneticModel?
        if phoneticWeight > 0 {
            guard let shipped = PhoneticModel.shipped else {
                throw SpeechCommandModelError(
                    code: .corrupt, message: "the library's phonetic model resource is missing; reinstall the service"
                )
            }
            let phones = PhoneticModel.phoneCount
            for index in templates.indices {
                let frameCount = templates[index].features.frameCount
                guard frameCount * phones * 2 <= reader.remaining else { throw corrupt("invalid phonetic posteriors") }
                let values = try (0..<frameCount * phones).map { _ in Float(try reader.readHalf()) }
                guard values.allSatisfy({ $0 > 0 && $0 <= 1 }) else { throw corrupt("invalid phonetic posteriors") }
                templates[index].phonetic = FeatureSequence(frameCount: frameCount, dimension: phones, values: values)
            }
            phoneticModel = shipped
        }
        guard let report = try SpeechCommandReport(reading: &reader, words: words) else {
            throw corrupt("invalid evaluation report")
        }
        return SpeechCommandModel(
            words: words,
            extractor: FeatureExtractor(options: options),
            matcher: TemplateMatcher(
                templates: templates,
                wordCount: wordCount,
                neighbours: neighbours,
                bandFraction: bandFraction,
                posteriorgram: posteriorgram,
                metric: metric,
                phoneticModel: phoneticModel,
                phoneticWeight: phoneticWeight
            ),
            calibration: Calibration(temperature: temperature, refusalThreshold: refusalThreshold, rule: rule),
            report: report
        )
    }

    /// Rejects settings that would crash or misbehave the feature extractor.
    private static func validate(_ options: FeatureOptions) throws {
        let valid =
            WAVDecoder.supportedSampleRates.contains(options.sampleRate)
            && options.fftSize >= 16 && options.fftSize <= 8_192 && options.fftSize & (options.fftSize - 1) == 0
            && (1...options.fftSize).contains(options.frameLength) && options.hopLength >= 1
            && (1...128).contains(options.melBandCount)
            && (1...options.melBandCount).contains(options.cepstrumCount)
            && options.lowFrequency >= 0 && options.lowFrequency < options.highFrequency
            && options.preEmphasis.isFinite && options.trimRangeDecibels.isFinite
            && options.dynamicRangeDecibels.isFinite
        guard valid else { throw corrupt("invalid feature settings") }
    }

    private static func corrupt(_ detail: String) -> SpeechCommandModelError {
        SpeechCommandModelError(
            code: .corrupt,
            message: "damaged speech-commands model (\(detail)); store or send it again, or retrain"
        )
    }
}
