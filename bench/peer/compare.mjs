#!/usr/bin/env node
// Compares two output folders of `render --all --format html` (docgate's and the
// peer's): files only in one side, and the share of pages whose normalized text
// (tags, comments and all whitespace removed, entities decoded) is identical.
//
// node compare.mjs A B [--show N] [--json]

import fs from 'node:fs'
import path from 'node:path'

function usage(msg) {
  if (msg) process.stderr.write(`compare.mjs: ${msg}\n`)
  process.stderr.write('usage: node compare.mjs DIR_A DIR_B [--show N] [--json]\n')
  process.exit(2)
}

const args = process.argv.slice(2)
const dirs = []
let show = 5
let json = false
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--show') show = Number(args[++i])
  else if (args[i].startsWith('--show=')) show = Number(args[i].slice(7))
  else if (args[i] === '--json') json = true
  else if (args[i] === '-h' || args[i] === '--help') usage()
  else if (args[i].startsWith('-')) usage(`unknown option ${args[i]}`)
  else dirs.push(args[i])
}
if (dirs.length !== 2 || !Number.isFinite(show)) usage()
for (const d of dirs) if (!fs.existsSync(d) || !fs.statSync(d).isDirectory()) usage(`${d} is not a folder`)

function list(dir, rel = '', out = new Set()) {
  for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) list(dir, r, out)
    else if (e.isFile() && e.name.endsWith('.html')) out.add(r)
  }
  return out
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' }
function normalize(html) {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<svg[\s\S]*?<\/svg>/g, '')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return Number.isFinite(n) ? String.fromCodePoint(n) : m
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
    .replace(/\s+/g, '')
}

const [a, b] = dirs
const fa = list(a)
const fb = list(b)
const onlyA = [...fa].filter((f) => !fb.has(f)).sort()
const onlyB = [...fb].filter((f) => !fa.has(f)).sort()
const common = [...fa].filter((f) => fb.has(f)).sort()
let same = 0
let identicalBytes = 0
const diffs = []
for (const f of common) {
  const ha = fs.readFileSync(path.join(a, f), 'utf8')
  const hb = fs.readFileSync(path.join(b, f), 'utf8')
  if (ha === hb) identicalBytes++
  const na = normalize(ha)
  const nb = normalize(hb)
  if (na === nb) {
    same++
    continue
  }
  let i = 0
  while (i < na.length && na[i] === nb[i]) i++
  diffs.push({ file: f, at: i, a: na.slice(Math.max(0, i - 40), i + 60), b: nb.slice(Math.max(0, i - 40), i + 60) })
}
const pct = common.length ? (100 * same) / common.length : 0
const result = {
  a,
  b,
  files_a: fa.size,
  files_b: fb.size,
  only_in_a: onlyA.length,
  only_in_b: onlyB.length,
  common: common.length,
  same_text: same,
  same_text_percent: Number(pct.toFixed(2)),
  byte_identical: identicalBytes,
}
if (json) {
  process.stdout.write(JSON.stringify({ ...result, only_in_a_files: onlyA, only_in_b_files: onlyB, differing: diffs.map((d) => d.file) }) + '\n')
} else {
  const head = (xs) => xs.slice(0, show).map((x) => `    ${x}`).join('\n')
  console.log(`A: ${a} (${fa.size} pages)`)
  console.log(`B: ${b} (${fb.size} pages)`)
  console.log(`only in A: ${onlyA.length}${onlyA.length && show ? '\n' + head(onlyA) : ''}`)
  console.log(`only in B: ${onlyB.length}${onlyB.length && show ? '\n' + head(onlyB) : ''}`)
  console.log(`in both: ${common.length}; identical normalized text: ${same} (${pct.toFixed(2)}%); byte-identical: ${identicalBytes}`)
  for (const d of diffs.slice(0, show)) {
    console.log(`  differs: ${d.file} (at text offset ${d.at})`)
    console.log(`    A: …${d.a}…`)
    console.log(`    B: …${d.b}…`)
  }
  if (diffs.length > show) console.log(`  … and ${diffs.length - show} more differing pages`)
}
