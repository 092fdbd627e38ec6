/**
 * Edge: draws a lesson's `Chart` as an SVG string. Each chart becomes a Vega-Lite spec, Vega-Lite
 * compiles it to a Vega spec, and Vega renders it headless (renderer `none`, then `toSVG`), so the
 * same specs would also draw in a browser.
 *
 * Boundary surfaces are drawn as one rectangle per run of equal cells in a grid row. Each
 * rectangle takes about 80 bytes, so a 50 x 50 grid that changes everywhere adds about 200 kB
 * per panel, and a flat surface far less.
 */
import { Error as LOG_ERROR, logger, parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Chart } from '../lessons/narrator.js';

/** Plot area of a line or bar chart, in pixels. */
const PLOT_WIDTH = 480;
const PLOT_HEIGHT = 300;

/** Side of one boundary panel, in pixels. */
const PANEL_SIZE = 220;

/** Boundary panels per row; more panels wrap to the next row. */
const MAX_PANELS_PER_ROW = 4;

/** Target width of one image in an `images` chart, in pixels. */
const IMAGE_SIZE = 96;

/** Light surface colours for outputs 0, 0.5 and 1, so the point marks stand out on them. */
const SURFACE_COLORS = ['#8fb4dc', '#f7f7f7', '#f5b77a'];

/** Dark colours for point labels, by label: navy and brown match the ends of the surface. */
const LABEL_COLORS = ['#08306b', '#7f2704', '#006d2c', '#54278f', '#525252', '#ae017e'];

/** Shared look: readable font sizes and a white background. */
const CONFIG = {
  background: 'white',
  font: 'sans-serif',
  title: { fontSize: 15, anchor: 'start' as const, offset: 12 },
  axis: { labelFontSize: 11, titleFontSize: 12, titlePadding: 8 },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  header: { labelFontSize: 12, titleFontSize: 12 },
  concat: { spacing: 24 },
};

/** Renders a chart with its title to a standalone SVG document. */
export async function renderChartSvg(chart: Chart, title: string): Promise<string> {
  // Warnings would interleave with the narrated output, so only errors are logged.
  const vegaSpec = compile(chartSpec(chart, title), { logger: logger(LOG_ERROR) }).spec;
  const view = new View(parse(vegaSpec), { renderer: 'none', logLevel: LOG_ERROR });
  try {
    return renumberIds(roundPathData(await view.toSVG()));
  } finally {
    view.finalize();
  }
}

/**
 * Rounds the coordinates in path data and transforms to 2 decimals, a hundredth of a pixel.
 * Vega writes up to 17 significant digits, which doubles the size of a chart of many cells.
 */
function roundPathData(svg: string): string {
  return svg.replace(/ (d|transform)="([^"]*)"/g, (_match, name: string, value: string) => {
    const rounded = value.replace(/-?\d+\.\d{3,}(e-?\d+)?/g, (number) => {
      const text = Number(number).toFixed(2);
      return text === '-0.00' ? '0.00' : text;
    });
    return ` ${name}="${rounded}"`;
  });
}

/**
 * Renumbers element ids (`clip7`, `gradient_3`) from 0 in order of appearance, with every
 * reference to them. Vega numbers clip paths and gradients with counters shared by all views
 * in the process, so without this the same chart would differ between two renders.
 */
function renumberIds(svg: string): string {
  const renamed = new Map<string, string>();
  for (const match of svg.matchAll(/ id="([^"]+)"/g)) {
    const id = match[1];
    if (!renamed.has(id)) renamed.set(id, `${id.replace(/\d+$/, '')}${renamed.size}`);
  }
  return svg.replace(/( id="|url\(#|href="#)([^")]+)/g, (whole, prefix: string, id: string) => {
    const name = renamed.get(id);
    return name === undefined ? whole : `${prefix}${name}`;
  });
}

/** Builds the Vega-Lite spec for a chart. */
export function chartSpec(chart: Chart, title: string): TopLevelSpec {
  switch (chart.type) {
    case 'line':
      return lineSpec(chart, title);
    case 'boundary':
      return boundarySpec(chart, title);
    case 'heatmap':
      return heatmapSpec(chart, title);
    case 'images':
      return imagesSpec(chart, title);
    case 'bar':
      return barSpec(chart, title);
  }
}

type LineChart = Extract<Chart, { type: 'line' }>;
type BoundaryChart = Extract<Chart, { type: 'boundary' }>;
type HeatmapChart = Extract<Chart, { type: 'heatmap' }>;
type ImagesChart = Extract<Chart, { type: 'images' }>;
type BarChart = Extract<Chart, { type: 'bar' }>;

/** Draws one line per series, coloured by series name, with a legend when there are several. */
function lineSpec(chart: LineChart, title: string): TopLevelSpec {
  const values = chart.series.flatMap((series, order) =>
    series.points.map(([x, y]) => ({ series: series.name, order, x, y })),
  );
  const names = chart.series.map((series) => series.name);
  const xs = values.map((value) => value.x);
  const ys = values.map((value) => value.y);
  const longest = Math.max(0, ...chart.series.map((series) => series.points.length));
  return {
    title,
    config: CONFIG,
    width: PLOT_WIDTH,
    height: PLOT_HEIGHT,
    data: { values },
    // Points mark each value while they are few enough to tell apart.
    mark: { type: 'line', strokeWidth: 2, point: longest <= MAX_MARKED_POINTS },
    encoding: {
      x: {
        field: 'x',
        type: 'quantitative',
        title: chart.xLabel,
        scale: { zero: false },
        ...integerAxis(xs),
      },
      y: {
        field: 'y',
        type: 'quantitative',
        title: chart.yLabel,
        ...(chart.logY ? logAxis(ys, 1) : { scale: { zero: false }, ...integerAxis(ys) }),
      },
      color: {
        field: 'series',
        type: 'nominal',
        title: null,
        scale: { domain: names, scheme: 'tableau10' },
        legend: names.length > 1 ? { orient: 'right' } : null,
      },
      order: { field: 'x', type: 'quantitative' },
    },
  };
}

/** Boundary panels with more points than this draw them smaller. */
const MANY_POINTS = 40;

/** Maximum points per series that a line chart still marks one by one. */
const MAX_MARKED_POINTS = 40;

/**
 * Returns axis settings that put ticks on whole numbers only, when every value is a whole
 * number such as a count or an epoch. Otherwise it returns no settings.
 */
function integerAxis(values: readonly number[]) {
  if (!values.every((value) => Number.isInteger(value))) return {};
  return { axis: { tickMinStep: 1, format: 'd' } };
}

/**
 * Panels side by side, each a surface of predicted values from blue (0) to orange (1) under the
 * data points, which are coloured and shaped by label.
 */
function boundarySpec(chart: BoundaryChart, title: string): TopLevelSpec {
  const labels = [
    ...new Set(chart.panels.flatMap((panel) => panel.points.map((p) => p.label))),
  ].sort((a, b) => a - b);
  const labelNames = labels.map(String);
  const labelColors = labels.map((label) => LABEL_COLORS[label % LABEL_COLORS.length]);

  const panels = chart.panels.map((panel) => {
    const xEdges = cellEdges(panel.xs);
    const yEdges = cellEdges(panel.ys);
    const cells = surfaceCells(panel.values, xEdges, yEdges);
    const points = panel.points.map((p) => ({ x: p.x, y: p.y, label: String(p.label) }));
    const xDomain = [Math.min(...xEdges), Math.max(...xEdges)];
    const yDomain = [Math.min(...yEdges), Math.max(...yEdges)];
    return {
      title: panel.title,
      width: PANEL_SIZE,
      height: PANEL_SIZE,
      layer: [
        {
          data: { values: cells },
          // No aria labels: they would triple the size of an SVG with thousands of cells.
          mark: { type: 'rect' as const, aria: false, clip: true },
          encoding: {
            x: {
              field: 'x',
              type: 'quantitative' as const,
              title: chart.xLabel,
              scale: { domain: xDomain, nice: false, zero: false },
            },
            x2: { field: 'x2' },
            y: {
              field: 'y',
              type: 'quantitative' as const,
              title: chart.yLabel,
              scale: { domain: yDomain, nice: false, zero: false },
            },
            y2: { field: 'y2' },
            fill: {
              field: 'value',
              type: 'quantitative' as const,
              title: 'output',
              scale: { range: SURFACE_COLORS, domain: [0, 0.5, 1], clamp: true },
            },
          },
        },
        {
          data: { values: points },
          mark: {
            type: 'point' as const,
            filled: true,
            // Many points at full size would hide the surface under them.
            size: points.length > MANY_POINTS ? 36 : 90,
            opacity: 1,
            stroke: 'white',
            strokeWidth: points.length > MANY_POINTS ? 1 : 1.5,
          },
          encoding: {
            x: { field: 'x', type: 'quantitative' as const },
            y: { field: 'y', type: 'quantitative' as const },
            color: {
              field: 'label',
              type: 'nominal' as const,
              title: 'label',
              scale: { domain: labelNames, range: labelColors },
              ...(labelNames.length === 0 ? { legend: null } : {}),
            },
            shape: {
              field: 'label',
              type: 'nominal' as const,
              title: 'label',
              scale: { domain: labelNames },
              ...(labelNames.length === 0 ? { legend: null } : {}),
            },
          },
        },
      ],
    };
  });
  // Four panels to a row keep a chart of many panels about as wide as a page.
  return { title, config: CONFIG, columns: MAX_PANELS_PER_ROW, concat: panels };
}

/** Draws a matrix of cells coloured by value, rows and columns in the given order. */
function heatmapSpec(chart: HeatmapChart, title: string): TopLevelSpec {
  const values = chart.values.flatMap((row, i) =>
    row.map((value, j) => ({ row: chart.rowLabels[i], col: chart.colLabels[j], value })),
  );
  const flat = values.map((cell) => cell.value);
  const middle = (Math.min(...flat) + Math.max(...flat)) / 2;
  // Counts, as in a confusion matrix, print as integers, because "181.00" reads as a measurement.
  const format = flat.every((value) => Number.isInteger(value)) ? 'd' : '.2f';
  const step = chart.showValues
    ? 36
    : Math.max(8, Math.min(28, Math.round(400 / chart.colLabels.length)));
  const x = {
    field: 'col',
    type: 'ordinal' as const,
    title: chart.xLabel,
    sort: chart.colLabels,
    axis: { labelAngle: 0 },
  };
  const y = { field: 'row', type: 'ordinal' as const, title: chart.yLabel, sort: chart.rowLabels };
  const cells = {
    mark: { type: 'rect' as const },
    encoding: {
      x,
      y,
      color: {
        field: 'value',
        type: 'quantitative' as const,
        title: null,
        scale: { scheme: 'viridis' },
      },
    },
  };
  const spec = {
    title,
    config: CONFIG,
    width: { step },
    height: { step },
    data: { values },
  };
  if (!chart.showValues) return { ...spec, ...cells };

  const text = {
    mark: { type: 'text' as const, fontSize: 10 },
    encoding: {
      x,
      y,
      text: { field: 'value', type: 'quantitative' as const, format },
      // Viridis is dark at the low end, so low cells get white text and high cells black.
      color: {
        condition: { test: `datum.value > ${middle}`, value: 'black' },
        value: 'white',
      },
    },
  };
  return { ...spec, layer: [cells, text] };
}

/**
 * Greyscale images in rows of `columns`, all on one scale (white to black), so brightness
 * compares across images. The scale runs from the lowest to the highest pixel of any image. A
 * signed chart uses -m to m instead, where m is the largest absolute pixel, and adds a legend.
 */
function imagesSpec(chart: ImagesChart, title: string): TopLevelSpec {
  const all = chart.images.flatMap((image) => image.pixels.flat());
  const domain = chart.signed ? signedDomain(all) : [Math.min(...all), Math.max(...all)];
  // The views share the colour scale, so Vega-Lite merges their legends into one.
  const legend = chart.signed
    ? { title: null, values: [domain[0], 0, domain[1]], format: '.3~g', gradientLength: IMAGE_SIZE }
    : null;
  const images = chart.images.map((image) => {
    const rows = image.pixels.length;
    const cols = rows === 0 ? 0 : image.pixels[0].length;
    const step = Math.max(2, Math.round(IMAGE_SIZE / Math.max(rows, cols, 1)));
    const values = image.pixels.flatMap((row, y) => row.map((value, x) => ({ x, y, value })));
    return {
      title: { text: image.title, fontSize: 12, anchor: 'middle' as const },
      width: { step },
      height: { step },
      data: { values },
      mark: { type: 'rect' as const, aria: false },
      encoding: {
        x: { field: 'x', type: 'ordinal' as const, axis: null },
        y: { field: 'y', type: 'ordinal' as const, axis: null },
        color: {
          field: 'value',
          type: 'quantitative' as const,
          scale: { scheme: 'greys', domain },
          legend,
        },
      },
    };
  });
  return {
    title,
    config: { ...CONFIG, view: { stroke: '#999' }, concat: { spacing: 12 } },
    columns: chart.columns,
    concat: images,
  };
}

/**
 * Returns [-m, m] for the largest absolute value m, so 0 falls in the middle of the scale. All
 * zeros give [-1, 1], so they still shade middle grey.
 */
function signedDomain(values: readonly number[]): [number, number] {
  const max = Math.max(0, ...values.map((value) => Math.abs(value)));
  return max === 0 ? [-1, 1] : [-max, max];
}

/** Bars in the given order; bars with a group sit side by side, coloured by group. */
function barSpec(chart: BarChart, title: string): TopLevelSpec {
  const values = chart.bars.map((bar) => ({ ...bar, group: bar.group ?? '' }));
  const labels = [...new Set(chart.bars.map((bar) => bar.label))];
  const groups = [...new Set(values.map((bar) => bar.group))];
  const grouped = groups.length > 1 || groups[0] !== '';
  return {
    title,
    config: CONFIG,
    // With groups, the step is the width of one label's cluster of bars, not of one bar.
    width: grouped ? { step: 22 * groups.length + 16, for: 'position' } : { step: 64 },
    height: PLOT_HEIGHT,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'label',
        type: 'nominal',
        title: chart.xLabel,
        sort: labels,
        axis: { labelAngle: 0 },
      },
      y: {
        field: 'value',
        type: 'quantitative',
        title: chart.yLabel,
        // A log scale has no zero to start a bar from, so bars start at the scale's minimum,
        // a power of ten below half the smallest bar, which keeps that bar visible.
        ...(chart.logY
          ? logAxis(
              chart.bars.map((bar) => bar.value),
              2,
            )
          : {}),
        stack: null,
      },
      ...(grouped
        ? {
            xOffset: { field: 'group', type: 'nominal', sort: groups },
            color: {
              field: 'group',
              type: 'nominal',
              title: null,
              scale: { domain: groups, scheme: 'tableau10' },
            },
          }
        : { color: { value: '#4c78a8' } }),
    },
  };
}

/**
 * Returns a log scale from a power of ten at or below min / `headroom` to one at or above the
 * largest value, with ticks at powers of ten only. Values that are not positive are skipped.
 */
function logAxis(values: readonly number[], headroom: number) {
  const positive = values.filter((value) => value > 0);
  const low = positive.length === 0 ? 0 : Math.floor(Math.log10(Math.min(...positive) / headroom));
  let high = positive.length === 0 ? 1 : Math.ceil(Math.log10(Math.max(...positive)));
  if (high <= low) high = low + 1;
  // At most about 8 labelled ticks, so labels never crowd.
  const stride = Math.ceil((high - low + 1) / 8);
  const ticks: number[] = [];
  for (let power = low; power <= high; power += stride) ticks.push(10 ** power);
  // Plain numbers read best from 0.001 to 10,000; beyond, 1e-6 is shorter than 0.000001.
  const plain = low >= -3 && high <= 4;
  return {
    scale: { type: 'log' as const, domain: [10 ** low, 10 ** high] },
    axis: plain
      ? { values: ticks, format: '~g' }
      : { values: ticks, labelExpr: "replace(format(datum.value, '.0e'), 'e+', 'e')" },
  };
}

/** Surface values are rounded to this step, which changes the colour too little to see. */
const SURFACE_STEP = 0.01;

/**
 * Returns the rectangles that draw a surface: one per run of neighbouring cells in a row whose
 * values round to the same multiple of SURFACE_STEP, filled with that rounded value. Vega takes
 * a fraction of a millisecond per mark, so a surface that is flat over wide areas, such as a
 * step function's, draws several times faster than with one rectangle per cell.
 */
function surfaceCells(
  values: readonly (readonly number[])[],
  xEdges: readonly number[],
  yEdges: readonly number[],
): { x: number; x2: number; y: number; y2: number; value: number }[] {
  // Each cell reaches a little into the next one, which hides the hairline seams that
  // anti-aliasing would draw between cells that only touch.
  const xOverlap = overlap(xEdges);
  const yOverlap = overlap(yEdges);
  const rounded = (value: number) => Math.round(value / SURFACE_STEP) * SURFACE_STEP;
  const cells = [];
  for (let i = 0; i < values.length; i++) {
    const row = values[i];
    let start = 0;
    for (let j = 1; j <= row.length; j++) {
      if (j < row.length && rounded(row[j]) === rounded(row[start])) continue;
      cells.push({
        x: xEdges[start],
        x2: xEdges[j] + xOverlap,
        y: yEdges[i],
        y2: yEdges[i + 1] + yOverlap,
        value: rounded(row[start]),
      });
      start = j;
    }
  }
  return cells;
}

/** Returns a tenth of the first cell's signed width, the overlap that hides the seams. */
function overlap(edges: readonly number[]): number {
  return edges.length < 2 ? 0 : (edges[1] - edges[0]) / 10;
}

/**
 * Returns the cell boundaries around grid coordinates: midpoints between neighbours, and half a
 * step beyond each end, so cell k spans edges[k] to edges[k + 1]. One coordinate gets width 1.
 */
function cellEdges(coordinates: readonly number[]): number[] {
  const n = coordinates.length;
  if (n === 0) return [];
  if (n === 1) return [coordinates[0] - 0.5, coordinates[0] + 0.5];
  const edges = [coordinates[0] - (coordinates[1] - coordinates[0]) / 2];
  for (let k = 1; k < n; k++) edges.push((coordinates[k - 1] + coordinates[k]) / 2);
  edges.push(coordinates[n - 1] + (coordinates[n - 1] - coordinates[n - 2]) / 2);
  return edges;
}
