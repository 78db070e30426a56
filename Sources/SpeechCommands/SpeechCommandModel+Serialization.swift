public import Foundation

/// The model file format, version 2 (all little-endian):
///
///     "SCMD"  UInt16 version
///     feature options: UInt32 sampleRate, UInt16 frameLength, hopLength, fftSize, melBandCount,
///                      Float32 lowFrequency, highFrequency, UInt16 cepstrumCount, UInt8 deltas,
///                      Float32 preEmphasis, trimRangeDecibels, dynamicRangeDecibels
///     matcher:         UInt16 neighbours, Float32 bandFraction, temperature, refusal threshold
///     words:           UInt16 count, then each as UInt16 byte count + UTF-8
///     templates:       UInt32 count, then each as UInt16 word index, UInt32 frame count,
///                      frameCount x dimension Float16 values
///     report:          see SpeechCommandReport+Serialization.swift
///     UInt32 FNV-1a checksum of everything before it
///
/// Version 1 (before the report and refusal threshold) is not read: retrain such models.
///
/// Templates are stored at half precision (training already rounds them), which halves the size
/// without changing a single recognition. The same model always serializes to the same bytes.
extension SpeechCommandModel {
    private static let magic = Array("SCMD".utf8)
    private static let formatVersion: UInt16 = 2

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
                bandFraction: bandFraction
            ),
            calibration: Calibration(temperature: temperature, refusalThreshold: refusalThreshold),
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
