#!/usr/bin/env node
// Peer renderer for docgate benchmarks: renders a GitHub-Docs-style tree with the
// reference engine's stack (liquidjs with custom `data` / `ifversion` / tool tags,
// then unified: remark-parse, remark-gfm, remark-rehype, rehype-slug,
// rehype-highlight, rehype-stringify) in one warm Node process, writes the same
// files as `docgate render --all --format html --out OUT`, and prints its
// throughput as one line of JSON.
//
// node render.mjs --root TREE --out OUT --versions fpt,ghec,3.19,3.20 --langs en,ko
//                 [--today YYYY-MM-DD] [--warmup] [--legacy] [--quiet]

import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { performance } from 'node:perf_hooks'

import yaml from 'js-yaml'
import semver from 'semver'
import { Liquid, Tag, Value, isTruthy, TokenizationError, defaultOperators } from 'liquidjs'
import { unified } from 'unified'
import remarkParse from 'remark-parse'
import remarkGfm from 'remark-gfm'
import remarkRehype from 'remark-rehype'
import rehypeSlug from 'rehype-slug'
import rehypeHighlight from 'rehype-highlight'
import rehypeStringify from 'rehype-stringify'

// A data reference's parsed template, rendered into `emitter`. As the reference in
// development and CI (THROW_ON_EMPTY) and docgate: a missing English reference
// fails the page, other languages render empty; a translated template that fails
// falls back to English.
function* renderDataEntry(liquid, ctx, emitter, entry, lang, tag) {
  if (!entry) {
    if (lang === 'en') throw new Error(`Can't find the key '${tag}' in the scope.`)
    return
  }
  let out
  try {
    out = yield liquid.renderer.renderTemplates(entry.primary, ctx)
  } catch (e) {
    if (!entry.english) throw e
    out = yield liquid.renderer.renderTemplates(entry.english, ctx)
  }
  emitter.write(out)
}

// A block tag `{% name %}…{% endname %}` whose rendered content is written
// through `wrap` (tool tags, the legacy alert tags).
function blockTag(name, wrap) {
  return class BlockTag extends Tag {
    constructor(token, remainTokens, liq, parser) {
      super(token, remainTokens, liq)
      this.templates = []
      const stream = parser
        .parseStream(remainTokens)
        .on(`tag:end${name}`, () => stream.stop())
        .on('template', (tpl) => this.templates.push(tpl))
        .on('end', () => {
          throw new Error(`tag ${token.getText()} not closed`)
        })
      stream.start()
    }

    *render(ctx, emitter) {
      emitter.write(wrap(yield this.liquid.renderer.renderTemplates(this.templates, ctx)))
    }
  }
}

// ---------------------------------------------------------------- arguments

function usage(msg) {
  if (msg) process.stderr.write(`render.mjs: ${msg}\n`)
  process.stderr.write(
    'usage: node render.mjs --root TREE --out OUT --versions fpt,ghec,3.19|supported ' +
      '--langs en,ko,...|all [--today YYYY-MM-DD] [--warmup] [--legacy] [--quiet]\n',
  )
  process.exit(2)
}

function parseArgs(argv) {
  const opts = { versions: 'fpt', langs: 'en', warmup: false, quiet: false, legacy: false, today: null }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]
    const eq = a.indexOf('=')
    const [key, inline] = a.startsWith('--') && eq > 0 ? [a.slice(0, eq), a.slice(eq + 1)] : [a, null]
    const val = () => {
      if (inline !== null) return inline
      if (i + 1 >= argv.length) usage(`${key} needs a value`)
      return argv[++i]
    }
    switch (key) {
      case '--root': opts.root = val(); break
      case '--out': opts.out = val(); break
      case '--versions': case '--release': case '-r': opts.versions = val(); break
      case '--langs': case '--lang': case '-l': opts.langs = val(); break
      case '--today': opts.today = val(); break
      case '--warmup': opts.warmup = true; break
      case '--quiet': opts.quiet = true; break
      case '--legacy': opts.legacy = true; break
      case '-h': case '--help': usage(); break
      default: usage(`unknown argument ${a}`)
    }
  }
  if (!opts.root) usage('--root is required')
  if (!opts.out) usage('--out is required')
  return opts
}

// ---------------------------------------------------------------- versions

// GHES release dates (GA, deprecation), to compute `supported` for --today.
// Data, as in the reference's enterprise-dates.json (the releases of interest here).
const GHES_DATES = {
  '3.14': ['2024-08-27', '2026-04-23'],
  '3.15': ['2024-12-03', '2026-04-23'],
  '3.16': ['2025-03-11', '2026-06-25'],
  '3.17': ['2025-06-03', '2026-08-25'],
  '3.18': ['2025-10-14', '2026-10-14'],
  '3.19': ['2025-12-09', '2026-12-09'],
  '3.20': ['2026-03-17', '2027-03-17'],
  '3.21': ['2026-06-11', '2027-06-11'],
  '3.22': ['2026-08-25', '2027-08-25'],
  '3.23': ['2026-12-08', '2027-12-08'],
  '3.24': ['2027-03-09', '2028-03-09'],
}

function supportedReleases(today) {
  return Object.entries(GHES_DATES)
    .filter(([, [ga, dep]]) => ga <= today && today < dep)
    .map(([r]) => r)
    .sort((a, b) => semver.compare(semver.coerce(b), semver.coerce(a)))
}

function makeVersion(spec, latest) {
  const s = spec.trim()
  if (s === 'fpt' || s === 'free-pro-team@latest' || s === 'free-pro-team') {
    return { key: 'free-pro-team@latest', plan: 'free-pro-team', shortName: 'fpt', numbered: false }
  }
  if (s === 'ghec' || s === 'enterprise-cloud@latest' || s === 'enterprise-cloud') {
    return { key: 'enterprise-cloud@latest', plan: 'enterprise-cloud', shortName: 'ghec', numbered: false }
  }
  if (s === 'ghae' || s === 'github-ae@latest' || s === 'github-ae') {
    // removed from today's reference; accepted for older trees
    return { key: 'github-ae@latest', plan: 'github-ae', shortName: 'ghae', numbered: false }
  }
  const m = s.match(/^(?:ghes@|enterprise-server@)?(\d+\.\d+|latest)$/)
  if (!m) usage(`unknown version ${spec}`)
  const release = m[1] === 'latest' ? latest : m[1]
  return {
    key: `enterprise-server@${release}`,
    plan: 'enterprise-server',
    shortName: 'ghes',
    numbered: true,
    release,
  }
}

function parseVersions(spec, today) {
  const supported = supportedReleases(today)
  const latest = supported[0] || '3.22'
  const out = []
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === 'supported') {
      out.push(makeVersion('fpt'), makeVersion('ghec'))
      for (const r of supported) out.push(makeVersion(r, latest))
    } else {
      out.push(makeVersion(part, latest))
    }
  }
  const seen = new Set()
  return { versions: out.filter((v) => !seen.has(v.key) && seen.add(v.key)), latest }
}

// The reference's versionSatisfiesRange: node-semver on the coerced release.
const rangeCache = new Map()
function versionSatisfiesRange(release, range) {
  const k = `${release}\0${range}`
  let r = rangeCache.get(k)
  if (r === undefined) {
    try {
      r = semver.satisfies(semver.coerce(release), range)
    } catch {
      r = false
    }
    rangeCache.set(k, r)
  }
  return r
}

// Frontmatter (or feature file) `versions:` → does it include version v?
function versionsInclude(versions, v, features, legacy = false) {
  // `versions: '*'` (a plain string) is an error today; pre-2021 engines took it as every version.
  // Older trees meant fpt, every GHES release and GHAE (GHEC became a plan of its own later).
  if (versions === '*') return legacy && v.plan !== 'enterprise-cloud'
  if (!versions || typeof versions !== 'object') return false
  for (const [k, val] of Object.entries(versions)) {
    if (k === 'feature') continue
    if (typeof val !== 'string') continue
    if (k !== v.plan && k !== v.shortName) continue
    if (!v.numbered) return true
    if (versionSatisfiesRange(v.release, val)) return true
  }
  if (versions.feature && features) {
    const names = Array.isArray(versions.feature) ? versions.feature : [versions.feature]
    const merged = {}
    for (const n of names) Object.assign(merged, features.get(n) || {})
    if (versionsInclude(merged, v, null)) return true
  }
  return false
}

// ---------------------------------------------------------------- languages

const LOCALES = { en: 'en', es: 'es-es', ja: 'ja-jp', pt: 'pt-br', zh: 'zh-cn', ru: 'ru-ru', fr: 'fr-fr', ko: 'ko-kr', de: 'de-de' }
const ALL_LANGS = Object.keys(LOCALES)

function parseLangs(spec) {
  const out = []
  for (const part of spec.split(',').map((p) => p.trim()).filter(Boolean)) {
    if (part === 'all') out.push(...ALL_LANGS)
    else {
      const code = LOCALES[part] ? part : Object.keys(LOCALES).find((c) => LOCALES[c] === part.toLowerCase())
      if (!code) usage(`unknown language ${part}`)
      out.push(code)
    }
  }
  return [...new Set(out)]
}

// The translator corruptions that the generated trees contain, repaired before parsing.
const CORRUPTIONS = [
  '{% datos variables.',
  '{% データ variables.',
  '{% variáveis de dados.',
  '{% 数据变量.',
  '{% переменных данных.',
  '{% données variables.',
  '{% 데이터 variables.',
  '{% Daten variables.',
]
function repairTranslation(text) {
  if (typeof text !== 'string' || !text.includes('{%')) return text
  for (const c of CORRUPTIONS) {
    if (text.includes(c)) text = text.split(c).join('{% data variables.')
  }
  return text
}

// ---------------------------------------------------------------- files

function readText(file) {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch {
    return undefined
  }
}

const FM_RE = /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(?:\r?\n|$)/
function splitFrontmatter(text) {
  const m = text.match(FM_RE)
  if (!m) {
    if (text.startsWith('---\n---')) return { data: {}, body: text.replace(/^---\n---[ \t]*\r?\n?/, '') }
    return { data: {}, body: text }
  }
  const data = yaml.load(m[1]) || {}
  return { data, body: text.slice(m[0].length) }
}

function walkMarkdown(dir, rel = '', out = []) {
  let entries
  try {
    entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true })
  } catch {
    return out
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
  for (const e of entries) {
    const r = rel ? `${rel}/${e.name}` : e.name
    if (e.isDirectory()) walkMarkdown(dir, r, out)
    else if (e.isFile() && e.name.endsWith('.md') && !/^readme\.md$/i.test(e.name)) out.push(r)
  }
  return out
}

// content path → URL path without language and version ('' for the home page)
function urlPathOf(rel) {
  let p = rel.replace(/\.md$/, '')
  if (p === 'index') return ''
  if (p.endsWith('/index')) p = p.slice(0, -'/index'.length)
  return '/' + p
}

// ---------------------------------------------------------------- the engine

const TRANSLATABLE = ['title', 'shortTitle', 'intro', 'product', 'permissions']
const PROPS = ['title', 'shortTitle', 'intro', 'permissions', 'product', 'body']
const TOOL_TAGS = [
  'agents', 'api', 'bash', 'cli', 'codespaces', 'curl', 'desktop', 'eclipse', 'graphql', 'importer_cli',
  'javascript', 'jetbrains', 'linux', 'mac', 'mobile', 'powershell', 'visualstudio', 'vimneovim', 'vscode',
  'webui', 'windows', 'windowsterminal', 'xcode', 'rowheaders',
]
const IFVERSION_OPERATORS = ['=', '<', '>', '!=']
const OPERATOR_RE = /[=<>!]/
const RELEASE_RE = /\d\d?\.\d\d?/
const NOT_RE = /(?:^|\s)not\s/
const DATA_SYNTAX = /([a-z0-9/\\_.\-[\]]+)/i

class Engine {
  constructor(root, versions, langs, latest, today, legacy = false) {
    this.root = root
    this.today = today
    this.legacy = legacy
    this.versions = versions
    this.langs = langs
    this.latest = latest
    this.stats = { errors: 0, fallbacks: 0, warnings: 0 }
    this.errorLines = 0
    this.warnLines = 0
    const operators = legacy ? { ...defaultOperators, ver_gt: legacyVersionCompare(1), ver_lt: legacyVersionCompare(-1) } : undefined
    this.liquid = new Liquid({ dynamicPartials: false, strictVariables: false, strictFilters: false, ...(operators ? { operators } : {}) })
    this.valueCache = new Map()
    this.dataFiles = new Map() // file → text | null
    this.yamlFiles = new Map() // file → object | null
    this.dataTemplates = new Map() // lang|path|indent|bq → {primary, english}
    this.envs = new Map()
    this.passCache = new Map() // rendered titles/intros of other pages, cleared every pass
    this.registerLiquid()
    if (legacy) this.registerLegacy()
    this.processor = this.makeProcessor()
  }

  warn(msg) {
    this.stats.warnings++
    if (this.warnLines++ < 10) process.stderr.write(`warning: ${msg}\n`)
  }

  error(msg) {
    this.stats.errors++
    if (this.errorLines++ < 100) process.stderr.write(`error: ${msg}\n`)
  }

  // ---------------------------------------------------------- loading

  load() {
    const root = this.root
    // features
    this.features = new Map()
    const fdir = path.join(root, 'data', 'features')
    if (fs.existsSync(fdir)) {
      for (const f of fs.readdirSync(fdir).sort()) {
        if (!f.endsWith('.yml') && !f.endsWith('.yaml')) continue
        try {
          const doc = yaml.load(fs.readFileSync(path.join(fdir, f), 'utf8')) || {}
          this.features.set(f.replace(/\.ya?ml$/, ''), doc.versions || {})
        } catch (e) {
          this.warn(`data/features/${f}: ${e.message}`)
        }
      }
    }
    // pages
    this.pages = []
    this.pageByUrl = new Map()
    this.pageByRel = new Map()
    this.redirects = new Map()
    const cdir = path.join(root, 'content')
    for (const rel of walkMarkdown(cdir)) {
      const file = path.join(cdir, rel)
      const text = fs.readFileSync(file, 'utf8')
      let fm
      try {
        fm = splitFrontmatter(text)
      } catch (e) {
        this.error(`content/${rel}: frontmatter: ${e.message}`)
        continue
      }
      const page = {
        rel,
        file: `content/${rel}`,
        url: urlPathOf(rel),
        fm: fm.data,
        applies: new Map(),
        en: {},
        tr: new Map(),
      }
      for (const v of this.versions) page.applies.set(v.key, versionsInclude(fm.data.versions, v, this.features, this.legacy))
      for (const prop of PROPS) {
        const src = prop === 'body' ? fm.body : fm.data[prop]
        page.en[prop] = src === undefined || src === null ? undefined : this.parseOrError(String(src), page.file)
      }
      for (const lang of this.langs) {
        if (lang === 'en') continue
        page.tr.set(lang, this.loadTranslation(page, lang))
      }
      this.pages.push(page)
      this.pageByRel.set(rel, page)
      this.pageByUrl.set(page.url || '/', page)
      for (const r of [].concat(fm.data.redirect_from || [])) {
        if (typeof r === 'string') this.redirects.set(normalizeOldPath(r), page)
      }
    }
  }

  // A translated page: only the translatable frontmatter keys and the body; a
  // property that does not parse falls back to English. null: no translation.
  loadTranslation(page, lang) {
    const file = path.join(this.root, 'translations', LOCALES[lang], 'content', page.rel)
    const text = readText(file)
    if (text === undefined) return null
    let fm
    try {
      fm = splitFrontmatter(text)
    } catch {
      this.stats.fallbacks++
      return null // unreadable frontmatter: the whole page is English
    }
    const t = {}
    for (const prop of PROPS) {
      if (prop !== 'body' && !TRANSLATABLE.includes(prop)) continue
      const src = prop === 'body' ? fm.body : fm.data[prop]
      if (src === undefined || src === null || typeof src === 'object') continue
      try {
        t[prop] = this.liquid.parse(repairTranslation(String(src)))
      } catch {
        this.stats.fallbacks++ // parse error: this property is rendered from English
      }
    }
    return t
  }

  parseOrError(text, file) {
    try {
      return this.liquid.parse(text)
    } catch (e) {
      const err = new Error(`${file}: ${e.message}`)
      err.parse = true
      return err
    }
  }

  env(v, lang) {
    const k = `${v.key}|${lang}`
    let env = this.envs.get(k)
    if (!env) {
      env = {
        currentVersion: v.key,
        currentLanguage: lang,
        currentRelease: v.numbered ? v.release : 'latest',
        currentVersionShortName: v.shortName,
        currentVersionObj: {
          version: v.key,
          shortName: v.shortName,
          plan: v.plan,
          hasNumberedReleases: v.numbered,
          currentRelease: v.numbered ? v.release : 'latest',
        },
        [v.shortName]: true,
      }
      for (const [name, fv] of this.features) env[name] = versionsInclude(fv, v, null)
      Object.assign(env, this.globals(v))
      env.currentVersionObj = { ...env.currentVersionObj, ...env.allVersions[v.key] }
      this.envs.set(k, env)
    }
    return env
  }

  // The other globals the reference's middleware puts in the context:
  // allVersions, enterpriseServerReleases, enterpriseServerVersions, tables.*,
  // site.data.glossaries, and the REST API calendar versions.
  globals(v) {
    if (!this.sharedGlobals) {
      const today = this.today
      const byNewest = (a, b) => semver.compare(semver.coerce(b), semver.coerce(a))
      const supported = Object.entries(GHES_DATES).filter(([, [ga, dep]]) => ga <= today && today < dep).map(([r]) => r).sort(byNewest)
      const deprecated = Object.entries(GHES_DATES).filter(([, [, dep]]) => dep <= today).map(([r]) => r).sort(byNewest)
      const tables = this.yamlFolder(path.join(this.root, 'data', 'tables'))
      const glossaries = this.yamlFolder(path.join(this.root, 'data', 'glossaries'))
      const restVersions = Object.keys((tables && tables['rest-api-versions'] && tables['rest-api-versions'].versions) || {}).sort().reverse()
      const apiOn = (x) => {
        const f = this.features.get('api-date-versioning')
        return f ? versionsInclude(f, x, null) : false
      }
      const planTitles = {
        'free-pro-team': 'Free, Pro, & Team',
        'enterprise-cloud': 'Enterprise Cloud',
        'enterprise-server': 'Enterprise Server',
        'github-ae': 'GitHub AE',
      }
      const vobj = (x) => ({
        version: x.key,
        versionTitle: x.numbered ? `${planTitles[x.plan]} ${x.release}` : planTitles[x.plan],
        planTitle: planTitles[x.plan],
        currentRelease: x.numbered ? x.release : 'latest',
        latestVersion: x.numbered ? `enterprise-server@${this.latest}` : x.key,
        latestRelease: x.numbered ? this.latest : 'latest',
        plan: x.plan,
        shortName: x.shortName,
        hasNumberedReleases: x.numbered,
        nonEnterpriseDefault: x.plan === 'free-pro-team',
        apiVersions: apiOn(x) ? restVersions : [],
        latestApiVersion: apiOn(x) ? restVersions[0] || '' : '',
      })
      const allVersions = {}
      for (const x of [makeVersion('fpt'), makeVersion('ghec'), ...supported.map((r) => makeVersion(r)), ...this.versions]) {
        allVersions[x.key] = vobj(x)
      }
      this.sharedGlobals = {
        allVersions,
        vobj,
        restVersions,
        enterpriseServerReleases: {
          latest: this.latest,
          latestStable: this.latest,
          oldestSupported: supported[supported.length - 1] || this.latest,
          supported,
          deprecated,
          all: [...supported, ...deprecated],
        },
        enterpriseServerVersions: supported.map((r) => `enterprise-server@${r}`),
        tables,
        glossaries,
      }
    }
    const g = this.sharedGlobals
    const out = {
      allVersions: g.allVersions,
      enterpriseServerReleases: g.enterpriseServerReleases,
      enterpriseServerVersions: g.enterpriseServerVersions,
    }
    Object.assign(out.allVersions, { [v.key]: g.vobj(v) })
    if (g.tables) out.tables = g.tables
    if (g.glossaries) out.site = { data: { glossaries: g.glossaries } }
    const apis = g.vobj(v).apiVersions
    if (apis.length) {
      out.defaultRestApiVersion = apis[apis.length - 1]
      out.initialRestVersioningReleaseDate = apis[0]
      const d = new Date(`${apis[0]}T00:00:00Z`)
      if (!Number.isNaN(d.getTime())) out.initialRestVersioningReleaseDateLong = d.toUTCString().slice(0, 16)
    }
    return out
  }

  yamlFolder(dir, prefix = '', out = null) {
    let entries
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true })
    } catch {
      return out
    }
    for (const e of entries) {
      if (e.isDirectory()) out = this.yamlFolder(path.join(dir, e.name), `${prefix}${e.name}.`, out)
      else if (e.name.endsWith('.yml')) {
        const doc = this.yamlFile(path.join(dir, e.name))
        if (doc) {
          out = out || {}
          out[prefix + e.name.slice(0, -4)] = doc
        }
      }
    }
    return out
  }

  // ---------------------------------------------------------- Liquid tags

  registerLiquid() {
    const engine = this
    const liquid = this.liquid

    liquid.registerFilter('version_num', (s) => String(s ?? '').split('@').pop())
    liquid.registerFilter('obj_size', (o) => (o && typeof o === 'object' ? Object.keys(o).length : 0))

    // {% data variables.x.y %} / {% data reusables.a.b %}
    liquid.registerTag(
      'data',
      class DataTag extends Tag {
        constructor(token, remainTokens, liq) {
          super(token, remainTokens, liq)
          if (!DATA_SYNTAX.test(token.args)) {
            throw new TokenizationError("Syntax Error in 'data' - Valid syntax: data [path]", token)
          }
          this.path = token.args.trim()
          const { input, begin } = token
          // indentation: spaces between the start of the line and the tag
          let i = 1
          while (input.charCodeAt(begin - i) === 32) i++
          this.indent = input.charAt(begin - i) === '\n' && i > 1 ? i - 1 : 0
          // blockquote prefix of the tag's line
          const lineStart = input.lastIndexOf('\n', begin - 1) + 1
          const m = input.slice(lineStart, begin).match(/^([ \t]*>[ \t]?)/)
          this.bq = m ? m[1] : ''
        }

        *render(ctx, emitter) {
          const lang = ctx.environments.currentLanguage || 'en'
          const entry = engine.dataTemplate(this.path, lang, this.indent, this.bq)
          yield* renderDataEntry(this.liquid, ctx, emitter, entry, lang, `data ${this.path}`)
        }
      },
    )

    // {% indented_data_reference path spaces=N %}: every line indented by N (default 2)
    liquid.registerTag(
      'indented_data_reference',
      class IndentedDataReferenceTag extends Tag {
        constructor(token, remainTokens, liq) {
          super(token, remainTokens, liq)
          const input = token.args.trim().replace(/\s/, '\u0000').replace(/\s/g, '').replace('\u0000', ' ')
          const [ref, spaces] = input.split(' ')
          const n = spaces ? spaces.replace(/spaces=/, '') : '2'
          if (!(parseInt(n, 10) || n === '0')) throw new Error('"spaces=NUMBER" must include a number')
          this.path = ref
          this.spaces = parseInt(n, 10)
        }

        *render(ctx, emitter) {
          const lang = ctx.environments.currentLanguage || 'en'
          const entry = engine.dataTemplate(this.path, lang, 0, '', this.spaces)
          yield* renderDataEntry(this.liquid, ctx, emitter, entry, lang, `indented_data_reference ${this.path}`)
        }
      },
    )

    // {% ifversion cond %}…{% elsif cond %}…{% else %}…{% endif %}
    liquid.registerTag(
      'ifversion',
      class IfversionTag extends Tag {
        constructor(tagToken, remainTokens, liq, parser) {
          super(tagToken, remainTokens, liq)
          this.tagToken = tagToken
          this.branches = []
          this.elseTemplates = []
          let p
          const stream = parser
            .parseStream(remainTokens)
            .on('start', () => this.branches.push({ cond: tagToken.args, templates: (p = []) }))
            .on('tag:elsif', (token) => this.branches.push({ cond: token.args, templates: (p = []) }))
            .on('tag:else', () => (p = this.elseTemplates))
            .on('tag:endif', () => stream.stop())
            .on('template', (tpl) => p.push(tpl))
            .on('end', () => {
              throw new Error(`tag ${tagToken.getText()} not closed`)
            })
          stream.start()
        }

        *render(ctx, emitter) {
          const r = this.liquid.renderer
          const vobj = ctx.environments.currentVersionObj
          for (const branch of this.branches) {
            let cond = branch.cond
            cond = handleNots(cond, vobj)
            cond = handleOperators(cond, vobj, this.tagToken)
            const value = engine.conditionValue(cond)
            const v = yield value.value(ctx, ctx.opts.lenientIf)
            if (isTruthy(v, ctx)) {
              yield r.renderTemplates(branch.templates, ctx, emitter)
              return
            }
          }
          yield r.renderTemplates(this.elseTemplates, ctx, emitter)
        }
      },
    )

    // {% octicon "name" key="value" %}
    liquid.registerTag(
      'octicon',
      class OcticonTag extends Tag {
        constructor(token, remainTokens, liq) {
          super(token, remainTokens, liq)
          const m = token.args.match(/^\s*["']([^"']+)["']\s*(.*)$/s)
          if (!m) throw new TokenizationError('Syntax Error in tag \'octicon\' - Valid syntax: octicon "<name>" <key="value">', token)
          const renamed = { trashcan: 'trash', duplicate: 'copy', clippy: 'paste' }
          this.name = renamed[m[1]] || m[1]
          const attrs = {}
          for (const a of m[2].matchAll(/([\w-]+)\s*=\s*["']([^"']*)["']/g)) attrs[a[1]] = a[2]
          if (!attrs['aria-label'] && !attrs['aria-hidden']) attrs['aria-label'] = `${this.name} icon`
          let extra = ''
          for (const [k, val] of Object.entries(attrs)) extra += ` ${k}="${escapeAttr(val)}"`
          this.html =
            `<svg version="1.1" width="16" height="16" viewBox="0 0 16 16" class="octicon octicon-${escapeAttr(this.name)}"` +
            `${extra}${attrs['aria-label'] ? ' role="img"' : ''}></svg>`
        }

        render() {
          return this.html
        }
      },
    )

    // {% webui %}…{% endwebui %}, {% rowheaders %}…{% endrowheaders %}, …
    for (const name of TOOL_TAGS) {
      liquid.registerTag(name, blockTag(name, (inner) => `<div class="ghd-tool ${name}">${inner}</div>\n`))
    }
  }

  // --legacy: the pre-2021 tags that today's reference no longer registers.
  registerLegacy() {
    const engine = this
    const liquid = this.liquid
    const colors = { note: 'info', tip: 'info', warning: 'warning', danger: 'danger' }
    for (const [name, color] of Object.entries(colors)) {
      liquid.registerTag(
        name,
        blockTag(
          name,
          (inner) =>
            `<div class="extended-markdown ${name} border rounded-1 mb-4 p-3 color-border-${color} color-bg-${color} f5">${inner}</div>\n`,
        ),
      )
    }
    for (const name of ['link', 'link_in_list', 'link_with_intro', 'homepage_link_with_intro', 'link_as_article_card']) {
      liquid.registerTag(
        name,
        class LinkTag extends Tag {
          constructor(token, remainTokens, liq) {
            super(token, remainTokens, liq)
            this.href = token.args.trim().replace(/^["']|["']$/g, '')
          }

          render(ctx) {
            const env = ctx.environments
            const v = engine.versionByKey(env.currentVersion)
            const lang = env.currentLanguage || 'en'
            const r = engine.rewriteHref(this.href, v, lang)
            if (typeof r === 'string' || !r.target || !engine.applies(r.target, v)) return ''
            const title = escapeHtml(engine.cachedProp(r.target, 'title', v, lang))
            const link = `<a href="${escapeAttr(r.href)}">${title}</a>`
            if (name === 'link_in_list') return `- ${link}`
            if (name === 'link') return link
            const intro = engine.cachedProp(r.target, 'intro', v, lang)
            return `<h2>${link}</h2>${intro ? `<p>${intro}</p>` : ''}`
          }
        },
      )
    }
  }

  // A condition string (after the reference's rewriting) as a liquidjs Value;
  // tokenized once per distinct string.
  conditionValue(cond) {
    let v = this.valueCache.get(cond)
    if (!v) {
      v = new Value(cond, this.liquid)
      this.valueCache.set(cond, v)
    }
    return v
  }

  // ---------------------------------------------------------- data

  text(file) {
    let t = this.dataFiles.get(file)
    if (t === undefined) {
      t = readText(file) ?? null
      this.dataFiles.set(file, t)
    }
    return t
  }

  yamlFile(file) {
    let y = this.yamlFiles.get(file)
    if (y === undefined) {
      const t = readText(file)
      y = null
      if (t !== undefined) {
        try {
          y = yaml.load(t) || {}
        } catch (e) {
          this.warn(`${file}: ${e.message}`)
        }
      }
      this.yamlFiles.set(file, y)
    }
    return y
  }

  // The text of a data reference in one data root (English or a translation's).
  dataText(dataRoot, segs) {
    const [kind, ...rest] = segs
    if (kind === 'reusables') {
      const t = this.text(path.join(dataRoot, 'reusables', ...rest) + '.md')
      if (t === null) return undefined
      return t.replace(FM_RE, '').trimEnd()
    }
    if (kind === 'variables' && rest.length >= 2) {
      const key = rest[rest.length - 1]
      const obj = this.yamlFile(path.join(dataRoot, 'variables', ...rest.slice(0, -1)) + '.yml')
      const v = obj ? obj[key] : undefined
      return v === undefined || v === null || v === '' ? undefined : String(v)
    }
    if (kind === 'ui') {
      let obj = this.yamlFile(path.join(dataRoot, 'ui.yml'))
      for (const s of rest) obj = obj && typeof obj === 'object' ? obj[s] : undefined
      return obj === undefined || obj === null || typeof obj === 'object' ? undefined : String(obj)
    }
    return undefined
  }

  // Parsed templates for `{% data path %}` in `lang` at a call site with this
  // indentation and blockquote prefix; the translation when it parses, else English.
  dataTemplate(dpath, lang, indent, bq, fixedIndent = null) {
    const key = `${lang}|${dpath}|${indent}|${bq}|${fixedIndent}`
    let entry = this.dataTemplates.get(key)
    if (entry !== undefined) return entry
    const segs = smartSplit(dpath)
    const enText = this.dataText(path.join(this.root, 'data'), segs)
    const alwaysEnglish =
      (segs[0] === 'variables' && (segs[1] === 'product' || segs[1] === 'copilot') && segs.length === 3) ||
      dpath === 'reusables.ssh.fingerprints' ||
      dpath === 'reusables.ssh.known_hosts'
    let trText
    if (lang !== 'en' && !alwaysEnglish) {
      trText = this.dataText(path.join(this.root, 'translations', LOCALES[lang], 'data'), segs)
      if (trText !== undefined) trText = repairTranslation(trText)
    }
    const prepare = (t) => {
      try {
        const laid = fixedIndent === null ? layoutData(t.trim(), indent, bq) : t.replace(/^/gm, ' '.repeat(fixedIndent))
        return this.liquid.parse(laid)
      } catch (e) {
        throw new Error(`data ${dpath}: ${e.message}`)
      }
    }
    entry = null
    if (trText !== undefined) {
      let english = null
      if (enText !== undefined) {
        try {
          english = prepare(enText)
        } catch {
          english = null
        }
      }
      try {
        entry = { primary: prepare(trText), english }
      } catch (e) {
        this.stats.fallbacks++
        if (english) entry = { primary: english, english: null }
      }
    } else if (enText !== undefined) {
      entry = { primary: prepare(enText), english: null }
    }
    this.dataTemplates.set(key, entry)
    return entry
  }

  alertTitles(lang) {
    const k = `alerts|${lang}`
    let t = this.passCache.get(k)
    if (!t) {
      t = {}
      for (const [key, dflt] of Object.entries(ALERT_TITLES)) {
        let s
        if (lang !== 'en') s = this.dataText(path.join(this.root, 'translations', LOCALES[lang], 'data'), ['ui', 'alerts', key])
        if (s === undefined) s = this.dataText(path.join(this.root, 'data'), ['ui', 'alerts', key])
        t[key] = s === undefined ? dflt : s.trim()
      }
      this.passCache.set(k, t)
    }
    return t
  }

  // ---------------------------------------------------------- properties

  // Renders one property of a page (Liquid only) for a version and language,
  // with the reference's per-property English fallback for translations.
  renderProp(page, prop, v, lang) {
    const tr = lang === 'en' ? null : page.tr.get(lang)
    const trTpl = tr ? tr[prop] : undefined
    if (trTpl) {
      try {
        const s = this.liquid.renderSync(trTpl, this.env(v, lang))
        if (!(prop === 'title' && !s.trim())) return prop === 'body' ? s : s.trim()
      } catch {
        // a translated property that fails to render is rendered from English
      }
      this.stats.fallbacks++
    }
    const en = page.en[prop]
    if (en === undefined) return undefined
    if (en instanceof Error) throw en
    const s = this.liquid.renderSync(en, this.env(v, tr ? 'en' : lang))
    return prop === 'body' ? s : s.trim()
  }

  // The title as text (the reference renders it with textOnly: Markdown to HTML, then text).
  titleText(page, v, lang, prop = 'title') {
    const s = this.renderProp(page, prop, v, lang)
    if (s === undefined) return undefined
    return htmlToText(this.markdownToHtml(s, v, lang).html).trim()
  }

  // Another page's title / short title / intro for links, breadcrumbs and
  // children lists; memoised for the current pass only.
  cachedProp(page, kind, v, lang) {
    const k = `${kind}|${page.rel}|${v.key}|${lang}`
    if (this.passCache.has(k)) return this.passCache.get(k)
    let r
    if (kind === 'title') r = this.titleText(page, v, lang, 'title') ?? ''
    else if (kind === 'shortTitle') r = this.titleText(page, v, lang, 'shortTitle')
    else r = this.renderProp(page, kind, v, lang)
    this.passCache.set(k, r)
    return r
  }

  permalink(page, v, lang) {
    const seg = v.plan === 'free-pro-team' ? '' : `/${v.key}`
    return `/${lang}${seg}${page.url}`
  }

  // The rewriting of internal links the reference does before rendering them.
  rewriteHref(href, v, lang) {
    if (!href.startsWith('/') || href.startsWith('//') || href.startsWith('/assets/') || href.startsWith('/public/')) {
      return href
    }
    const cut = href.search(/[#?]/)
    const p = cut < 0 ? href : href.slice(0, cut)
    const rest = cut < 0 ? '' : href.slice(cut)
    const segs = p.split('/').filter(Boolean)
    if (segs.length && segs[0].length === 2 && LOCALES[segs[0]]) segs.shift()
    let vseg
    const first = segs[0]
    if (first && /^(free-pro-team|enterprise-cloud|enterprise-server|github-ae)(@|$)/.test(first)) {
      segs.shift()
      if (first === 'enterprise-server@latest') vseg = `enterprise-server@${this.latest}`
      else if (first.startsWith('free-pro-team')) vseg = null
      else vseg = first
    } else if (first === 'desktop') {
      vseg = null
    } else if (v.plan === 'free-pro-team' && first === 'admin') {
      vseg = 'enterprise-cloud@latest'
    } else {
      vseg = v.plan === 'free-pro-team' ? null : v.key
    }
    // a link to an old path (redirect_from) goes to the page's permalink
    const urlPath = '/' + segs.join('/')
    let target = this.pageByUrl.get(urlPath === '/' ? '/' : urlPath)
    if (!target) {
      const r = this.redirects.get(normalizeOldPath(urlPath))
      if (r) {
        target = r
        segs.length = 0
        segs.push(...r.url.split('/').filter(Boolean))
      }
    }
    let out = `/${lang}`
    if (vseg) out += `/${vseg}`
    for (const s of segs) out += `/${s}`
    return { href: out + rest, target, vseg }
  }

  // The title an AUTOTITLE link shows: the target page's title in this version and language.
  autotitle(href, v, lang) {
    const r = this.rewriteHref(href, v, lang)
    if (typeof r === 'string' || !r.target) {
      // The reference throws here; like docgate, show the path (a tree extract
      // links to pages it does not have) and count a warning.
      this.warn(`[AUTOTITLE](${href}) leads to no page of this tree (${v.key}, ${lang})`)
      return href.split(/[#?]/)[0]
    }
    const tvKey = r.vseg === null ? 'free-pro-team@latest' : r.vseg
    const tv = tvKey === v.key ? v : this.versionByKey(tvKey)
    if (!tv || !this.applies(r.target, tv)) {
      throw new AutotitleError(`[AUTOTITLE](${href}) cannot be resolved in ${v.key}`)
    }
    return this.cachedProp(r.target, 'title', tv, lang)
  }

  versionByKey(key) {
    return this.versions.find((x) => x.key === key) || makeVersionFromKey(key)
  }

  applies(page, v) {
    let a = page.applies.get(v.key)
    if (a === undefined) {
      a = versionsInclude(page.fm.versions, v, this.features, this.legacy)
      page.applies.set(v.key, a)
    }
    return a
  }

  // ---------------------------------------------------------- unified

  makeProcessor() {
    const engine = this
    return unified()
      .use(remarkParse)
      .use(remarkGfm)
      .use(remarkRemoveComments)
      .use(function remarkLocalLinks() {
        return (tree, file) => rewriteLocalLinks(tree, file.data, engine)
      })
      .use(remarkRehype, { allowDangerousHtml: true })
      .use(rehypeSlug)
      .use(rehypeHeadingLinks)
      .use(rehypeHighlight, { detect: false, aliases: { json: 'jsonc' } })
      .use(rehypeRowheaders)
      .use(function rehypeAlertsPlugin() {
        return (tree, file) => rehypeAlerts(tree, engine.alertTitles(file.data.lang))
      })
      .use(rehypeStringify, { allowDangerousHtml: true })
      .freeze()
  }

  markdownToHtml(md, v, lang) {
    const file = this.processor.processSync({ value: md, data: { v, lang, headings: [] } })
    return { html: String(file.value), headings: file.data.headings }
  }

  // ---------------------------------------------------------- one page

  renderPage(page, v, lang) {
    let title = this.titleText(page, v, lang, 'title')
    if (!title) throw new Error('the title renders empty')
    const intro = this.renderProp(page, 'intro', v, lang)
    const permissions = this.renderProp(page, 'permissions', v, lang)
    let body = this.renderProp(page, 'body', v, lang) ?? ''
    body = body.replace(/\n\n\n+/g, '\n\n')

    // children list of an index page (what the site shows on a landing page)
    const children = this.childrenOf(page, v)
    if (children.length) {
      let md = '\n## Links\n\n'
      for (const c of children) {
        md += `* [${this.cachedProp(c, 'title', v, lang).replace(/[[\]]/g, '')}](${this.permalink(c, v, lang)})\n\n`
        const ci = this.cachedProp(c, 'intro', v, lang)
        if (ci && ci.trim()) md += `  ${ci.trim().replace(/\n/g, '\n  ')}\n\n`
      }
      body += md
    }

    let rendered
    try {
      rendered = this.markdownToHtml(body, v, lang)
    } catch (e) {
      // an unresolved AUTOTITLE in a translation: the body falls back to English
      if (!(e instanceof AutotitleError) || lang === 'en' || !page.tr.get(lang)) throw e
      this.stats.fallbacks++
      const saved = page.tr.get(lang).body
      delete page.tr.get(lang).body
      try {
        body = (this.renderProp(page, 'body', v, lang) ?? '').replace(/\n\n\n+/g, '\n\n')
      } finally {
        page.tr.get(lang).body = saved
      }
      rendered = this.markdownToHtml(body, v, lang)
    }

    let html = `<article lang="${lang}" data-version="${v.key}" data-permalink="${escapeAttr(this.permalink(page, v, lang))}">\n`
    const crumbs = this.breadcrumbs(page, v, lang)
    if (crumbs.length > 1) {
      html += '<nav class="breadcrumbs" aria-label="Breadcrumb"><ol>'
      for (const c of crumbs) html += `<li><a href="${escapeAttr(c.href)}">${escapeHtml(c.title)}</a></li>`
      html += '</ol></nav>\n'
    }
    html += `<h1>${escapeHtml(title)}</h1>\n`
    if (intro !== undefined) html += `<div class="lead">${this.inlineHtml(intro, v, lang)}</div>\n`
    if (permissions !== undefined) html += `<div class="permissions">${this.inlineHtml(permissions, v, lang)}</div>\n`
    const toc = rendered.headings.filter((h) => h.depth === 2)
    if (!children.length && toc.length) {
      html += '<nav class="minitoc" aria-label="In this article"><ul>'
      for (const h of toc) html += `<li><a href="#${escapeAttr(h.id)}">${escapeHtml(h.text)}</a></li>`
      html += '</ul></nav>\n'
    }
    html += rendered.html
    if (!html.endsWith('\n')) html += '\n'
    html += '</article>\n'
    return html
  }

  inlineHtml(md, v, lang) {
    const h = this.markdownToHtml(md, v, lang).html.trim()
    return h.startsWith('<p>') && h.endsWith('</p>') && h.indexOf('<p>', 1) < 0 ? h.slice(3, -4) : h
  }

  childrenOf(page, v) {
    const list = page.fm.children
    if (!Array.isArray(list) || !list.length) return []
    const dir = page.rel.includes('/') ? page.rel.slice(0, page.rel.lastIndexOf('/')) : ''
    const out = []
    for (const entry of list) {
      if (typeof entry !== 'string') continue
      const rel = entry.replace(/^\/+|\/+$/g, '')
      const base = dir ? `${dir}/${rel}` : rel
      const child = this.pageByRel.get(`${base}.md`) || this.pageByRel.get(`${base}/index.md`)
      if (child && this.applies(child, v)) out.push(child)
    }
    return out
  }

  breadcrumbs(page, v, lang) {
    const dir = page.rel.includes('/') ? page.rel.slice(0, page.rel.lastIndexOf('/')) : ''
    const segs = dir.split('/').filter(Boolean)
    const chain = []
    for (let i = 1; i <= segs.length; i++) {
      const rel = `${segs.slice(0, i).join('/')}/index.md`
      if (rel === page.rel) break
      const p = this.pageByRel.get(rel)
      if (p && this.applies(p, v)) chain.push(p)
    }
    chain.push(page)
    return chain.map((p) => {
      const st = this.cachedProp(p, 'shortTitle', v, lang)
      return { href: this.permalink(p, v, lang), title: st && st.trim() ? st : this.cachedProp(p, 'title', v, lang) }
    })
  }
}

class AutotitleError extends Error {}

// --legacy: `currentVersion ver_gt "enterprise-server@2.22"` (false across plans).
function legacyVersionCompare(sign) {
  return (l, r) => {
    const [lp, lr] = String(l ?? '').split('@')
    const [rp, rr] = String(r ?? '').split('@')
    if (lp !== rp) return false
    const a = semver.coerce(lr)
    const b = semver.coerce(rr)
    if (!a || !b) return false
    return semver.compare(a, b) === sign
  }
}

function makeVersionFromKey(key) {
  const [plan, rel] = key.split('@')
  if (plan === 'free-pro-team') return makeVersion('fpt')
  if (plan === 'enterprise-cloud') return makeVersion('ghec')
  if (plan === 'enterprise-server' && /^\d+\.\d+$/.test(rel)) return makeVersion(rel)
  return null
}

function normalizeOldPath(p) {
  let s = p.replace('/admin/guides/', '/admin/').replace('/enterprise/', '/')
  while (s.length > 1 && s.endsWith('/')) s = s.slice(0, -1)
  return s
}

// `version-3.4`-style segments survive the dotted split.
function smartSplit(p) {
  const raw = p.split('.')
  const out = []
  for (const s of raw) {
    const prev = out[out.length - 1]
    if (prev !== undefined && /\d$/.test(prev) && /^\d/.test(s)) out[out.length - 1] = `${prev}.${s}`
    else out.push(s)
  }
  return out
}

// The reference's handleIndent and handleBlockquote, decided at parse time.
function layoutData(text, indent, bq) {
  if (indent > 0 && text.includes('\n')) {
    const pad = ' '.repeat(indent)
    text = text.replace(/^/gm, pad).trim()
  }
  if (bq && text.includes('\n')) {
    const lines = text.split('\n')
    for (let i = 1; i < lines.length; i++) {
      if (!/^\n?([ \t]*>[ \t]?)/.test(lines[i])) lines[i] = bq + lines[i].trim()
    }
    text = lines.join('\n')
  }
  return text
}

// ifversion: `not X` → whether X is not the current short name.
function handleNots(cond, vobj) {
  while (NOT_RE.test(cond)) {
    const parts = cond.split(' ')
    const i = parts.findIndex((el) => el === 'not')
    if (i < 0) break
    const pair = parts.slice(i, i + 2)
    cond = cond.replace(pair.join(' '), String(pair[1] !== vobj.shortName))
  }
  return cond
}

// ifversion: `plan op release` → true/false (cross-plan: `!=` true, others false).
function handleOperators(cond, vobj, token) {
  while (OPERATOR_RE.test(cond)) {
    const parts = cond.split(' ')
    const i = parts.findIndex((el) => IFVERSION_OPERATORS.includes(el))
    const triple = parts.slice(i - 1, i + 2)
    const [name, op, release] = triple
    if (!IFVERSION_OPERATORS.includes(op) || !RELEASE_RE.test(release ?? '')) {
      throw new TokenizationError(
        "Syntax Error in 'ifversion' with range - Valid syntax: ifversion [plan] [operator] [releaseNumber]",
        token,
      )
    }
    const current = vobj.hasNumberedReleases ? vobj.currentRelease : vobj.internalLatestRelease
    let result
    if (op === '!=') result = name === vobj.shortName ? release !== current : true
    else result = name === vobj.shortName ? versionSatisfiesRange(current, `${op}${release}`) : false
    cond = cond.replace(triple.join(' '), String(result))
  }
  return cond
}

// ---------------------------------------------------------------- tree plugins

function remarkRemoveComments() {
  return (tree) => {
    walk(tree, (node, parent, index) => {
      if (node.type === 'html' && /^\s*<!--[\s\S]*-->\s*$/.test(node.value)) {
        parent.children.splice(index, 1)
        return index
      }
    })
  }
}

const AUTOTITLE_RE = /^\s*AUTOTITLE\s*$/

function rewriteLocalLinks(tree, data, engine) {
  const { v, lang } = data
  if (!v) return
  const defs = new Map()
  walk(tree, (node) => {
    if (node.type === 'definition') defs.set(node.identifier, node)
  })
  walk(tree, (node) => {
    if (node.type === 'linkReference') {
      const d = defs.get(node.identifier)
      if (d) {
        node.type = 'link'
        node.url = d.url
        node.title = d.title
      }
    }
    if (node.type !== 'link' || !node.url || !node.url.startsWith('/')) return
    const original = node.url
    const r = engine.rewriteHref(original, v, lang)
    if (typeof r !== 'string') node.url = r.href
    for (const child of node.children) {
      if (child.type === 'text' && AUTOTITLE_RE.test(child.value)) child.value = engine.autotitle(original, v, lang)
    }
  })
}

function rehypeHeadingLinks() {
  return (tree, file) => {
    walk(tree, (node) => {
      if (node.type !== 'element' || !/^h[2-6]$/.test(node.tagName)) return
      const id = node.properties && node.properties.id
      if (!id) return
      file.data.headings.push({ depth: Number(node.tagName[1]), id, text: hastText(node).trim() })
      node.properties.tabIndex = -1
      node.children = [
        {
          type: 'element',
          tagName: 'a',
          properties: { className: ['heading-link'], href: `#${id}` },
          children: [
            ...node.children,
            { type: 'element', tagName: 'span', properties: { className: ['heading-link-symbol'], ariaHidden: 'true' }, children: [] },
          ],
        },
      ]
      return 'skip'
    })
  }
}

// Inside {% rowheaders %}: the first cell of each body row is a row header.
function rehypeRowheaders() {
  const fix = (node) => {
    if (!node.children) return
    {
      let inRowheaders = 0
      for (const child of node.children) {
        if (child.type === 'raw') {
          if (child.value.includes('ghd-tool rowheaders')) inRowheaders++
          else if (inRowheaders && child.value.includes('</div>')) inRowheaders--
        } else if (inRowheaders && child.type === 'element' && child.tagName === 'table') {
          for (const part of child.children) {
            if (part.type !== 'element' || part.tagName !== 'tbody') continue
            for (const tr of part.children) {
              if (tr.type !== 'element' || tr.tagName !== 'tr') continue
              const cell = tr.children.find((c) => c.type === 'element')
              if (cell && cell.tagName === 'td') {
                cell.tagName = 'th'
                cell.properties = { ...cell.properties, scope: 'row' }
              }
            }
          }
        }
      }
    }
  }
  return (tree) => {
    fix(tree)
    walk(tree, fix)
  }
}

const ALERT_KINDS = {
  NOTE: 'accent',
  IMPORTANT: 'done',
  WARNING: 'attention',
  TIP: 'success',
  CAUTION: 'danger',
}
const ALERT_TITLES = { NOTE: 'Note', IMPORTANT: 'Important', WARNING: 'Warning', TIP: 'Tip', CAUTION: 'Caution' }
const ALERT_RE = /\[!(NOTE|IMPORTANT|WARNING|TIP|CAUTION)\]/i

function rehypeAlerts(tree, titles) {
  walk(tree, (node) => {
    if (node.type !== 'element' || node.tagName !== 'blockquote') return
    const p = node.children.find((c) => c.type === 'element')
    if (!p || p.tagName !== 'p') return
    const t = p.children[0]
    if (!t || t.type !== 'text') return
    const m = t.value.match(ALERT_RE)
    if (!m || t.value.slice(0, m.index).trim()) return
    const key = m[1].toUpperCase()
    t.value = t.value.slice(m.index + m[0].length).replace(/^[ \t]*\n?/, '')
    node.tagName = 'div'
    node.properties = { className: ['ghd-alert', `ghd-alert-${ALERT_KINDS[key]}`], dataContainer: 'alert' }
    node.children = [
      { type: 'text', value: '\n' },
      {
        type: 'element',
        tagName: 'p',
        properties: { className: ['ghd-alert-title'] },
        children: [
          {
            type: 'element',
            tagName: 'svg',
            properties: { version: '1.1', width: 16, height: 16, viewBox: '0 0 16 16', className: ['octicon', 'mr-2'], ariaHidden: 'true' },
            children: [],
          },
          { type: 'text', value: titles[key] || '' },
        ],
      },
      ...node.children,
    ]
  })
}

// Depth-first walk over the children of `node`; the visitor may return 'skip'
// (do not descend) or an index to continue from (after removing a node).
function walk(node, visit) {
  const kids = node.children
  if (!kids) return
  for (let i = 0; i < kids.length; i++) {
    const child = kids[i]
    const r = visit(child, node, i)
    if (typeof r === 'number') {
      i = r - 1
      continue
    }
    if (r !== 'skip') walk(child, visit)
  }
}

function hastText(node) {
  if (node.type === 'text') return node.value
  if (!node.children) return ''
  let s = ''
  for (const c of node.children) s += hastText(c)
  return s
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', '#39': "'" }
function htmlToText(html) {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+\d*);/gi, (m, e) => {
      if (e[0] === '#') {
        const n = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10)
        return Number.isFinite(n) ? String.fromCodePoint(n) : m
      }
      return ENTITIES[e.toLowerCase()] ?? m
    })
}

function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
function escapeAttr(s) {
  return escapeHtml(s)
}

// ---------------------------------------------------------------- main

function main() {
  const opts = parseArgs(process.argv.slice(2))
  const today = opts.today || new Date().toISOString().slice(0, 10)
  if (!/^\d{4}-\d{2}-\d{2}$/.test(today)) usage('--today must be YYYY-MM-DD')
  const { versions, latest } = parseVersions(opts.versions, today)
  const langs = parseLangs(opts.langs)
  if (!versions.length) usage('no version selected')
  if (!langs.length) usage('no language selected')
  const root = path.resolve(opts.root)
  const out = path.resolve(opts.out)

  const t0 = performance.now()
  const engine = new Engine(root, versions, langs, latest, today, opts.legacy)
  engine.load()
  const loadSeconds = (performance.now() - t0) / 1000

  const made = new Set()
  const pass = (write) => {
    engine.passCache.clear()
    let pages = 0
    for (const v of versions) {
      for (const lang of langs) {
        for (const page of engine.pages) {
          if (!page.applies.get(v.key)) continue
          let html
          try {
            html = engine.renderPage(page, v, lang)
          } catch (e) {
            engine.error(`${lang} ${v.key} ${page.file}: ${(e && e.message) || e}`)
            continue
          }
          pages++
          if (!write) continue
          const segs = [out]
          if (langs.length > 1) segs.push(lang)
          if (versions.length > 1) segs.push(v.key)
          const file = path.join(...segs, page.rel.replace(/\.md$/, '.html'))
          const dir = path.dirname(file)
          if (!made.has(dir)) {
            fs.mkdirSync(dir, { recursive: true })
            made.add(dir)
          }
          fs.writeFileSync(file, html)
        }
      }
    }
    return pages
  }

  let warmupSeconds
  if (opts.warmup) {
    const tw = performance.now()
    pass(false)
    warmupSeconds = (performance.now() - tw) / 1000
    engine.stats.errors = 0
    engine.stats.fallbacks = 0
    engine.stats.warnings = 0
  }
  const t1 = performance.now()
  const pages = pass(true)
  const seconds = (performance.now() - t1) / 1000
  if (engine.stats.errors || engine.stats.warnings || !opts.quiet) {
    process.stderr.write(
      `peer: ${pages} pages, ${engine.stats.errors} errors, ${engine.stats.warnings} warnings, ` +
        `${engine.stats.fallbacks} English fallbacks (${versions.length} versions × ${langs.length} languages)\n`,
    )
  }
  process.stdout.write(
    JSON.stringify({
      pages,
      seconds: Number(seconds.toFixed(3)),
      pages_per_s: Number((pages / seconds).toFixed(1)),
      load_seconds: Number(loadSeconds.toFixed(3)),
      ...(warmupSeconds !== undefined ? { warmup_seconds: Number(warmupSeconds.toFixed(3)) } : {}),
      errors: engine.stats.errors,
    }) + '\n',
  )
}

export { Engine, makeVersion, versionsInclude, handleNots, handleOperators }

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main()
