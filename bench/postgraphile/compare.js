#!/usr/bin/env node
// bench/api.sh: checks that Databank and PostGraphile answered a benchmark
// query with the same data, and says how much data that is.
//
//   node compare.js a|b DATABANK.json POSTGRAPHILE.json
//
// Both answers are reduced to the same plain shape (PostGraphile reaches a
// sample's files through the data_file_sample link rows, and gives codes
// as text where Databank gives ontology terms); file lists are sorted by
// file id. Prints one line of counts and exits 1 when the data differ or
// either answer has errors.
"use strict";
const fs = require("fs");

const [query, dbFile, pgFile] = process.argv.slice(2);
if (!["a", "b"].includes(query) || !pgFile) {
	console.error("usage: node compare.js a|b DATABANK.json POSTGRAPHILE.json");
	process.exit(2);
}

function read(file, who) {
	const r = JSON.parse(fs.readFileSync(file, "utf8"));
	if (r.errors && r.errors.length) {
		console.error(`${who} answered with errors: ${JSON.stringify(r.errors).slice(0, 500)}`);
		process.exit(1);
	}
	return r.data;
}

const curie = (t) => (t && typeof t === "object" ? t.curie : t) ?? null;
const byFileId = (a, b) => (a.fileId < b.fileId ? -1 : a.fileId > b.fileId ? 1 : 0);

// files takes Databank's [DataFile] or PostGraphile's connection of links.
function files(list) {
	const xs = Array.isArray(list) ? list : list.nodes.map((n) => n.dataFile);
	return xs
		.map((f) => ({ fileId: f.fileId, format: curie(f.format), assembly: curie(f.assembly), location: f.location }))
		.sort(byFileId);
}

function consent(c) {
	if (!c) return null;
	return { consentId: c.consentId, givenOn: c.givenOn, permission: curie(c.permission), modifiers: (c.modifiers || []).map(curie) };
}

function sampleA(s) {
	return { sampleId: s.sampleId, donorId: s.donor.donorId, consent: consent(s.donor.currentConsent), files: files(s.dataFiles) };
}

function sampleB(s) {
	if (!s) return null;
	const children = Array.isArray(s.children) ? s.children : s.children.nodes;
	return {
		sampleId: s.sampleId,
		materialType: curie(s.materialType),
		parent: s.parent ? { sampleId: s.parent.sampleId, materialType: curie(s.parent.materialType) } : null,
		children: children.map((c) => ({ sampleId: c.sampleId, materialType: curie(c.materialType), files: files(c.dataFiles) })),
		files: files(s.dataFiles),
	};
}

const db = read(dbFile, "Databank");
const pg = read(pgFile, "PostGraphile");
let a, b, counts;
if (query === "a") {
	a = db.samples.nodes.map(sampleA);
	b = pg.samples.nodes.map(sampleA);
	const links = a.reduce((n, s) => n + s.files.length, 0);
	counts = `${a.length} samples, ${a.filter((s) => s.consent).length} with a current consent, ${links} sample-file links`;
} else {
	a = sampleB(db.sample);
	b = sampleB(pg.sample);
	if (!a) {
		console.error("Databank found no such sample");
		process.exit(1);
	}
	const childFiles = a.children.reduce((n, c) => n + c.files.length, 0);
	counts = `parent ${a.parent ? 1 : 0}, ${a.children.length} children with ${childFiles} files, ${a.files.length} own files`;
}
const same = JSON.stringify(a) === JSON.stringify(b);
console.log(`${counts}; same data from both: ${same ? "yes" : "NO"}`);
if (!same) {
	console.error("Databank:     " + JSON.stringify(a).slice(0, 800));
	console.error("PostGraphile: " + JSON.stringify(b).slice(0, 800));
	process.exit(1);
}
