// Read Mermaid journey diagrams with Mermaid's own parser (the test suite's reference).
//
// One JSON request a line on stdin, {"id": ..., "text": "journey ..."}; one JSON answer a
// line on stdout, {"id", "ok": true, "type", "title", "accTitle", "accDescr", "sections",
// "tasks": [{"section", "task", "score", "people"}], "actors"} or {"id", "ok": false,
// "error"}. Text is given as Mermaid draws it: entity codes (#35;, #quot;) decoded, and
// the line breaks of section and task labels as "\n".
// A score that is not a number is the string "NaN" (JSON has no NaN).
import { createInterface } from 'node:readline';
import { JSDOM } from 'jsdom';
import yaml from 'js-yaml';

const dom = new JSDOM('<!DOCTYPE html><html><body></body></html>', { pretendToBeVisual: true });
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.Element = dom.window.Element;
globalThis.HTMLElement = dom.window.HTMLElement;
globalThis.SVGElement = dom.window.SVGElement;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.MutationObserver = dom.window.MutationObserver;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, securityLevel: 'strict' });

// The placeholders Mermaid's encodeEntities puts in place of entity codes, decoded as
// the SVG it renders would show them.
const scratch = document.createElement('textarea');
function decode(text) {
  if (typeof text !== 'string') return text;
  return text
    .replace(/ﬂ°°(\d+)¶ß/g, (_m, n) => String.fromCodePoint(Number(n)))
    .replace(/ﬂ°(\w+)¶ß/g, (m, name) => {
      scratch.innerHTML = `&${name};`;
      return scratch.value === `&${name};` ? m : scratch.value;
    });
}

// A section or task label as drawn: svgDraw.js splits it into lines on <br> (before the
// entity codes are decoded, so '#60;br>' stays text).
function label(text) {
  return decode(String(text).replace(/<br\s*\/?>/gi, '\n'));
}

// Mermaid's render() takes the front matter's title (its own regex and YAML schema).
const FRONT_MATTER = /^-{3}\s*[\n\r](.*?)[\n\r]-{3}\s*[\n\r]+/s;
function frontMatterTitle(text) {
  const match = text.replace(/\r\n?/g, '\n').match(FRONT_MATTER);
  if (!match) return undefined;
  const meta = yaml.load(match[1], { schema: yaml.JSON_SCHEMA }) ?? {};
  return typeof meta === 'object' && meta.title ? String(meta.title) : undefined;
}

async function read(text) {
  await mermaid.parse(text); // throws on what Mermaid refuses
  const diagram = await mermaid.mermaidAPI.getDiagramFromText(text, {
    title: frontMatterTitle(text),
  });
  const db = diagram.db;
  const out = { ok: true, type: diagram.type };
  if (diagram.type !== 'journey') return out;
  out.title = decode(db.getDiagramTitle());
  out.accTitle = decode(db.getAccTitle());
  out.accDescr = decode(db.getAccDescription());
  out.sections = db.getSections().map(label);
  out.tasks = db.getTasks().map((t) => ({
    section: label(t.section),
    task: label(t.task),
    score: Number.isNaN(t.score) ? 'NaN' : t.score,
    people: t.people.map(decode),
  }));
  out.actors = db.getActors().map(decode);
  return out;
}

const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
for await (const line of lines) {
  if (!line.trim()) continue;
  let id = null;
  let answer;
  try {
    const request = JSON.parse(line);
    id = request.id ?? null;
    answer = await read(String(request.text));
  } catch (err) {
    answer = { ok: false, error: String(err?.message ?? err).split('\n').slice(0, 6).join('\n') };
  }
  process.stdout.write(JSON.stringify({ id, ...answer }) + '\n');
}
