import Foundation
import Testing
import TrainingDatasets

/// Entries that must never be extracted, in zip (crafted byte by byte) and tar.
@Suite("Hostile entries")
struct HostileEntryTests {
    static func zip(_ names: [[UInt8]]) -> [UInt8] {
        var builder = RawZipBuilder()
        builder.entries = names.map { name in
            var entry = RawZipBuilder.stored("x", Array("data".utf8))
            entry.name = name
            return entry
        }
        return builder.build()
    }

    static func zip(_ names: [String]) -> [UInt8] {
        self.zip(names.map { Array($0.utf8) })
    }

    static func tar(_ names: [String]) -> [UInt8] {
        var tar = TarBuilder()
        for name in names { tar.file(name, text: "data") }
        return tar.finished()
    }

    @Test(
        "Absolute paths are refused",
        arguments: ["/etc/passwd", "/tmp/x.wav", "C:/Windows/x.wav", "C:\\Windows\\x.wav"]
    )
    func absolutePaths(name: String) throws {
        let scratch = try Scratch()
        for bytes in [Self.zip([name]), Self.tar([name])] {
            let error = try scratch.rejection(bytes)
            #expect(error.has(reason: "absolute paths are not allowed"))
            #expect((error?.violations ?? []).contains { $0.reason.contains("cd /tmp/x && zip -r -D words.zip words") }, "with the way to make it right")
        }
    }

    @Test(
        "Paths with '..' (zip-slip) are refused",
        arguments: [
            "../evil.sh", "../../../../tmp/evil.sh", "a/../../evil.sh", "a/../b.wav", "..\\..\\evil.sh", "a/..",
        ]
    )
    func zipSlip(name: String) throws {
        let scratch = try Scratch()
        for bytes in [Self.zip([name]), Self.tar([name]), try Deflate.gzip(Self.tar([name]))] {
            let error = try scratch.rejection(bytes)
            #expect(error.has(reason: "'..' is not allowed in a path"))
        }
    }

    @Test("A zip-slip archive writes nothing, inside or outside the destination")
    func zipSlipWritesNothing() throws {
        let scratch = try Scratch()
        let destination = try scratch.directory("deep/out")
        let archive = try scratch.file("slip.zip", Self.zip(["fine.wav", "../escaped.wav", "../../escaped.wav"]))
        #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
        }
        #expect(Scratch.tree(destination).isEmpty)
        #expect(Scratch.tree(scratch.url) == ["deep/", "deep/out/", "slip.zip"])
    }

    @Test("Symbolic links are refused (tar and zip)")
    func symbolicLinks() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.symlink("link.wav", to: "/etc/passwd")
        tar.file("link.wav/../x", text: "through the link")
        let tarError = try scratch.rejection(tar.finished())
        #expect(
            tarError.has(path: "link.wav", reason: "symbolic links are not allowed (this one points to '/etc/passwd')")
        )

        var entry = RawZipBuilder.stored("link.wav", Array("/etc/passwd".utf8))
        entry.unixMode = 0o120777
        let zipError = try scratch.rejection(RawZipBuilder(entries: [entry]).build())
        #expect(zipError.has(path: "link.wav", reason: "symbolic links are not allowed"))
    }

    @Test("A symlink in a tar is never created, even when the rest is fine")
    func symlinkNotExtracted() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("a.wav", text: "a")
        tar.symlink("b.wav", to: "a.wav")
        let destination = try scratch.directory("out")
        let error = #expect(throws: ArchiveError.self) {
            try ArchiveExtractor.extract(
                archive: scratch.file("l.tar", tar.finished()),
                into: destination,
                limits: .unlimited
            )
        }
        #expect(error?.violations.count == 1)
        #expect(Scratch.tree(destination).isEmpty)
    }

    @Test("Hard links are refused")
    func hardLinks() throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.file("a.wav", text: "a")
        tar.hardLink("b.wav", to: "a.wav")
        let error = try scratch.rejection(tar.finished())
        #expect(
            error?.violations == [
                ArchiveViolation(
                    path: "b.wav",
                    reason: "hard links are not allowed (this one links to 'a.wav'); put the file itself in the archive"
                )
            ]
        )
    }

    @Test(
        "Device files, FIFOs and sockets are refused",
        arguments: [
            ("3", 0o020644, "device files are not allowed"),
            ("4", 0o060644, "device files are not allowed"),
            ("6", 0o010644, "named pipes (FIFOs) are not allowed"),
            (nil, 0o140644, "sockets are not allowed"),
        ] as [(Character?, UInt32, String)]
    )
    func specialFiles(tarType: Character?, unixMode: UInt32, reason: String) throws {
        let scratch = try Scratch()
        if let tarType {
            var tar = TarBuilder()
            tar.entry("dev/thing", type: tarType)
            #expect(try scratch.rejection(tar.finished()).has(path: "dev/thing", reason: reason))
        }
        var entry = RawZipBuilder.stored("dev/thing", [])
        entry.unixMode = unixMode
        #expect(try scratch.rejection(RawZipBuilder(entries: [entry]).build()).has(path: "dev/thing", reason: reason))
    }

    @Test("Duplicate names are refused")
    func duplicates() throws {
        let scratch = try Scratch()
        for bytes in [Self.zip(["a/x.wav", "a/x.wav"]), Self.tar(["a/x.wav", "./a/x.wav"])] {
            let error = try scratch.rejection(bytes)
            #expect(
                error?.violations == [
                    ArchiveViolation(path: "a/x.wav", reason: "the archive contains this file more than once")
                ]
            )
        }
    }

    @Test(
        "Names that collide once case is ignored (Unicode-aware) or normalised are refused",
        arguments: [
            ("yes/a.wav", "yes/A.wav", "yes/A.wav"),
            ("Ä.wav", "ä.wav", "ä.wav"),
            ("ŁÓDŹ.wav", "łódź.wav", "łódź.wav"),
            ("caf\u{E9}.wav", "cafe\u{301}.wav", "cafe\u{301}.wav"),  // NFC vs NFD
            ("Data/x.wav", "data/y.wav", "data/y.wav"),  // directories
        ]
    )
    func caseCollisions(first: String, second: String, reported: String) throws {
        let scratch = try Scratch()
        for bytes in [Self.zip([first, second]), Self.tar([first, second])] {
            let error = try scratch.rejection(bytes)
            #expect(error?.violations.count == 1)
            #expect(error?.violations.first?.path?.utf8.elementsEqual(reported.utf8) == true)
            #expect(error.has(reason: "differ only in letter case or Unicode normalization"))
        }
    }

    @Test("A file and a directory may not share a name")
    func fileDirectoryClash() throws {
        let scratch = try Scratch()
        let fileFirst = try scratch.rejection(Self.tar(["a", "a/b.wav"]))
        #expect(
            fileFirst.has(
                path: "a/b.wav",
                reason: "'a' would have to be a directory, but the archive also has a file 'a'"
            )
        )
        var tar = TarBuilder()
        tar.directory("a")
        tar.file("a", text: "x")
        #expect(try scratch.rejection(tar.finished()).has(path: "a", reason: "a directory 'a' has the same name"))
    }

    @Test("Names that are not valid UTF-8 are refused where they claim UTF-8: zips with the UTF-8 flag, and tar")
    func invalidUTF8() throws {
        let scratch = try Scratch()
        let name: [UInt8] = [0x66, 0xFF, 0xFE, 0x2E, 0x77, 0x61, 0x76]  // "f\xff\xfe.wav"
        let zipError = try scratch.rejection(Self.zip([name]))
        #expect(zipError.has(path: "f\\xff\\xfe.wav", reason: "the name is not valid UTF-8"))

        var tar = TarBuilder()
        tar.rawEntry(name: name, type: "0", contents: [1])
        #expect(try scratch.rejection(tar.finished()).has(path: "f\\xff\\xfe.wav", reason: "not valid UTF-8"))
    }

    @Test("A zip name without the UTF-8 flag is code page 437, as the zip format and Python's zipfile read it")
    func codePage437Names() throws {
        let scratch = try Scratch()
        // "café/naïve.txt" as an old Windows or DOS tool writes it: 0x82 is é, 0x8B is ï in code page 437.
        let cp437: [UInt8] = Array("caf".utf8) + [0x82] + Array("/na".utf8) + [0x8B] + Array("ve.txt".utf8)
        // A name that is valid UTF-8 stays UTF-8 without the flag (Info-ZIP on Linux writes those).
        let unflaggedUTF8 = Array("ünï/x.txt".utf8)
        var builder = RawZipBuilder()
        builder.entries = [cp437, unflaggedUTF8].map { name in
            var entry = RawZipBuilder.stored("x", Array("data".utf8))
            entry.name = name
            entry.flags = 0
            return entry
        }
        let archive = try scratch.file("cp437.zip", builder.build())
        let destination = try scratch.directory("out")
        let summary = try ArchiveExtractor.extract(archive: archive, into: destination, limits: .unlimited)
        #expect(summary.files.sorted() == ["café/naïve.txt", "ünï/x.txt"])
        #expect(Scratch.tree(destination) == ["café/", "café/naïve.txt", "ünï/", "ünï/x.txt"])
        #expect(try Data(contentsOf: destination.appending(path: "café/naïve.txt")) == Data("data".utf8))
        // Every byte has a character in code page 437, each as Python's cp437 codec gives it (two
        // names, each under the 255-byte bound on a name).
        builder.entries = [[UInt8](0x80...0xBF), [UInt8](0xC0...0xFF)].map { bytes in
            var entry = RawZipBuilder.stored("x", Array("data".utf8))
            entry.name = bytes + Array(".txt".utf8)
            entry.flags = 0
            return entry
        }
        let all = try scratch.inspect(builder.build())
        #expect(
            all.files.sorted()
                == [
                    "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐.txt",
                    "└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{A0}.txt",
                ].sorted()
        )
    }

    @Test("Empty names are refused")
    func emptyNames() throws {
        let scratch = try Scratch()
        #expect(try scratch.rejection(Self.zip([[UInt8]()])).has(reason: "the entry has an empty name"))
        var tar = TarBuilder()
        tar.rawEntry(name: [], type: "0", contents: [1])
        #expect(try scratch.rejection(tar.finished()).has(reason: "the entry has an empty name"))
        #expect(try scratch.rejection(Self.tar(["./"])).has(reason: "the entry has no file name"))
    }

    @Test("NUL bytes and control characters in names are refused")
    func nulAndControlCharacters() throws {
        let scratch = try Scratch()
        #expect(
            try scratch.rejection(Self.zip([Array("a\0b.wav".utf8)])).has(
                path: "a\\u{0}b.wav",
                reason: "the name contains a NUL byte"
            )
        )
        var tar = TarBuilder()
        tar.pax(["path": Array("x\0y.wav".utf8)])
        tar.file("placeholder.wav", text: "x")
        #expect(try scratch.rejection(tar.finished()).has(reason: "the name contains a NUL byte"))
        #expect(try scratch.rejection(Self.tar(["a\nb.wav"])).has(path: "a\\u{a}b.wav", reason: "control characters"))
    }

    @Test(
        "Tar entry types other than files and directories are refused",
        arguments: ["V", "M", "Z", "N"] as [Character]
    )
    func unsupportedTarTypes(type: Character) throws {
        let scratch = try Scratch()
        var tar = TarBuilder()
        tar.entry("odd", type: type, contents: [1, 2, 3])
        tar.file("after.wav", text: "still read")
        let error = try scratch.rejection(tar.finished())
        #expect(error?.violations.count == 1)
        #expect(error.has(path: "odd", reason: "entries are not supported"))
    }
}
