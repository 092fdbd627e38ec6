import { scheme } from 'vega';
import { describe, expect, it } from 'vitest';
import type { Chart } from '../../src/lessons/narrator.js';
import { chartSpec, renderChartSvg } from '../../src/render/charts.js';

const CHARTS: Record<Chart['type'], Chart> = {
  line: {
    type: 'line',
    xLabel: 'epoch',
    yLabel: 'loss',
    logY: true,
    series: [
      {
        name: 'train',
        points: [
          [1, 1],
          [2, 0.5],
        ],
      },
      {
        name: 'test',
        points: [
          [1, 1.2],
          [2, 0.7],
        ],
      },
    ],
  },
  boundary: {
    type: 'boundary',
    xLabel: 'x1',
    yLabel: 'x2',
    panels: [
      {
        title: 'AND',
        xs: [0, 1],
        ys: [0, 1],
        values: [
          [0, 0.2],
          [0.2, 0.9],
        ],
        points: [
          { x: 0, y: 0, label: 0 },
          { x: 1, y: 1, label: 1 },
        ],
      },
    ],
  },
  heatmap: {
    type: 'heatmap',
    xLabel: 'predicted',
    yLabel: 'true',
    rowLabels: ['0', '1'],
    colLabels: ['0', '1'],
    values: [
      [0.9, 0.1],
      [0.2, 0.8],
    ],
    showValues: true,
  },
  images: {
    type: 'images',
    columns: 2,
    images: [
      {
        title: 'kernel 1',
        pixels: [
          [0, 1],
          [1, 0],
        ],
      },
      {
        title: 'kernel 2',
        pixels: [
          [-1, 0],
          [0, 1],
        ],
      },
    ],
  },
  bar: {
    type: 'bar',
    xLabel: 'layer',
    yLabel: 'gradient norm',
    logY: true,
    bars: [
      { label: 'hidden', value: 0.01, group: 'sigmoid' },
      { label: 'hidden', value: 0.2, group: 'relu' },
      { label: 'output', value: 0.5, group: 'sigmoid' },
      { label: 'output', value: 0.6, group: 'relu' },
    ],
  },
};

describe('renderChartSvg', () => {
  for (const [type, chart] of Object.entries(CHARTS)) {
    it(`draws a ${type} chart with its title and labels`, async () => {
      const svg = await renderChartSvg(chart, `A ${type} chart`);
      expect(svg.startsWith('<svg')).toBe(true);
      expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
      expect(svg).toContain(`A ${type} chart`);
      if ('xLabel' in chart) expect(svg).toContain(chart.xLabel);
      expect(svg).not.toContain('NaN');
    });
  }

  it('draws the same chart the same way twice', async () => {
    const first = await renderChartSvg(CHARTS.boundary, 'Boundary');
    const second = await renderChartSvg(CHARTS.boundary, 'Boundary');
    expect(second).toBe(first);
  });

  it('rounds path coordinates to two decimals', async () => {
    const svg = await renderChartSvg(CHARTS.boundary, 'Boundary');
    const paths = [...svg.matchAll(/ d="([^"]*)"/g)].map((match) => match[1]);
    expect(paths.length).toBeGreaterThan(0);
    for (const path of paths) expect(path).not.toMatch(/\d\.\d{3}/);
  });

  it('titles every boundary panel', async () => {
    const svg = await renderChartSvg(CHARTS.boundary, 'Boundary');
    expect(svg).toContain('AND');
  });

  it('titles every image', async () => {
    const svg = await renderChartSvg(CHARTS.images, 'Kernels');
    expect(svg).toContain('kernel 1');
    expect(svg).toContain('kernel 2');
  });
});

/** A confusion matrix of counts, as lesson 3 draws it. */
const COUNTS: Chart = {
  type: 'heatmap',
  xLabel: 'predicted',
  yLabel: 'true',
  rowLabels: ['0', '1'],
  colLabels: ['0', '1'],
  values: [
    [181, 2],
    [0, 97],
  ],
  showValues: true,
};

/** Kernels with negative, zero and positive weights, on a scale from -2 to 2. */
const SIGNED_KERNELS: Chart = {
  type: 'images',
  columns: 2,
  signed: true,
  images: [
    { title: 'map 0', pixels: [[-2, 0, 1]] },
    { title: 'map 1', pixels: [[0.5, 0, -0.25]] },
  ],
};

/** Returns the text of every SVG text element, in document order. */
function svgTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((match) => match[1]);
}

/** Returns the fill of every cell of the images chart, in document order. */
function cellFills(svg: string): string[] {
  return [...svg.matchAll(/<path [^>]*fill="(rgb\([^"]+\))"/g)].map((match) => match[1]);
}

describe('heatmap values', () => {
  it('prints counts as integers', async () => {
    const svg = await renderChartSvg(COUNTS, 'Confusion matrix');
    const texts = svgTexts(svg);
    expect(texts).toContain('181');
    expect(texts).toContain('97');
    expect(svg).not.toContain('181.00');
  });

  it('prints fractions with two decimals', async () => {
    const svg = await renderChartSvg(CHARTS.heatmap, 'Rates');
    const texts = svgTexts(svg);
    expect(texts).toContain('0.90');
    expect(texts).toContain('0.10');
  });

  it('formats counts with d in the spec', () => {
    const spec = chartSpec(COUNTS, 'Confusion matrix') as {
      layer: { encoding: { text?: { format: string } } }[];
    };
    expect(spec.layer[1].encoding.text?.format).toBe('d');
  });
});

describe('signed images', () => {
  it('centres the scale on zero', () => {
    const spec = chartSpec(SIGNED_KERNELS, 'Kernels') as ColorEncodings;
    for (const view of spec.concat) {
      expect(view.encoding.color.scale.domain).toEqual([-2, 2]);
    }
  });

  it('shows the range in a legend', async () => {
    const spec = chartSpec(SIGNED_KERNELS, 'Kernels') as ColorEncodings;
    expect(spec.concat[0].encoding.color.legend).toMatchObject({ values: [-2, 0, 2] });
    const texts = svgTexts(await renderChartSvg(SIGNED_KERNELS, 'Kernels'));
    // Vega prints negative numbers with a Unicode minus sign.
    expect(texts).toEqual(expect.arrayContaining(['\u22122', '0', '2']));
  });

  it('shades zero middle grey', async () => {
    const greys = scheme('greys') as (t: number) => string;
    const fills = cellFills(await renderChartSvg(SIGNED_KERNELS, 'Kernels'));
    // Pixels -2, 0, 1, then 0.5, 0, -0.25, at (value + 2) / 4 along the greys ramp
    expect(fills).toEqual([0, 0.5, 0.75, 0.625, 0.5, 0.4375].map(greys));
  });

  it('shades all zeros middle grey', () => {
    const zeros: Chart = { ...SIGNED_KERNELS, images: [{ title: 'map 0', pixels: [[0, 0]] }] };
    const spec = chartSpec(zeros, 'Kernels') as ColorEncodings;
    expect(spec.concat[0].encoding.color.scale.domain).toEqual([-1, 1]);
  });

  it('keeps the pixel range when unsigned', () => {
    const spec = chartSpec({ ...SIGNED_KERNELS, signed: false }, 'Kernels') as ColorEncodings;
    expect(spec.concat[0].encoding.color.scale.domain).toEqual([-2, 1]);
    expect(spec.concat[0].encoding.color.legend).toBeNull();
  });
});

type ColorEncodings = {
  concat: { encoding: { color: { scale: { domain: number[] }; legend: object | null } } }[];
};

type YEncoding = { encoding: { y: { scale: object; axis: { values: number[] } } } };

describe('chartSpec', () => {
  it('spans powers of ten on a log scale', () => {
    // The loss runs from 0.5 to 1.2, so the scale runs from 0.1 to 10
    const spec = chartSpec(CHARTS.line, 'Loss') as YEncoding;
    expect(spec.encoding.y.scale).toEqual({ type: 'log', domain: [0.1, 10] });
    expect(spec.encoding.y.axis.values).toEqual([0.1, 1, 10]);
  });

  it('starts log bars below half the smallest bar', () => {
    // The smallest bar is 0.01, half of it 0.005, so the scale starts at 0.001
    const spec = chartSpec(CHARTS.bar, 'Gradients') as YEncoding;
    expect(spec.encoding.y.scale).toEqual({ type: 'log', domain: [0.001, 1] });
  });

  it('ticks whole numbers for counts', () => {
    const chart: Chart = {
      type: 'line',
      xLabel: 'pass',
      yLabel: 'mistakes',
      series: [
        {
          name: 'AND',
          points: [
            [1, 3],
            [2, 0],
          ],
        },
      ],
    };
    const spec = chartSpec(chart, 'Mistakes') as {
      encoding: { x: { axis: object }; y: { axis: object } };
    };
    expect(spec.encoding.x.axis).toEqual({ tickMinStep: 1, format: 'd' });
    expect(spec.encoding.y.axis).toEqual({ tickMinStep: 1, format: 'd' });
  });

  it('ticks fractions for fractional values', () => {
    const chart: Chart = {
      type: 'line',
      xLabel: 'epoch',
      yLabel: 'loss',
      series: [
        {
          name: 'loss',
          points: [
            [1, 0.5],
            [2, 0.25],
          ],
        },
      ],
    };
    const spec = chartSpec(chart, 'Loss') as { encoding: { y: { axis?: object } } };
    expect(spec.encoding.y.axis).toBeUndefined();
  });

  it('sizes grouped bars per label', () => {
    // Two groups: 22 pixels per bar and 16 between labels
    const spec = chartSpec(CHARTS.bar, 'Gradients') as { width: object };
    expect(spec.width).toEqual({ step: 60, for: 'position' });
  });

  it('draws a run of equal cells as one rectangle', () => {
    const chart: Chart = {
      type: 'boundary',
      xLabel: 'x1',
      yLabel: 'x2',
      panels: [
        {
          title: 'step',
          xs: [0, 1, 2, 3],
          ys: [0, 1],
          values: [
            [0, 0, 1, 1],
            [0, 0.004, 0.5, 1],
          ],
          points: [],
        },
      ],
    };
    const spec = chartSpec(chart, 'Step') as {
      concat: { layer: { data: { values: { x: number; x2: number; value: number }[] } }[] }[];
    };
    const cells = spec.concat[0].layer[0].data.values;
    // Row 0 has two runs; in row 1, 0.004 rounds to 0 and joins the first run
    expect(cells.map((cell) => cell.value)).toEqual([0, 1, 0, 0.5, 1]);
    // Cell edges lie halfway between grid points; each rectangle reaches 0.1 into the next
    expect(cells[0].x).toBe(-0.5);
    expect(cells[0].x2).toBeCloseTo(1.6);
  });

  it('wraps boundary panels four to a row', () => {
    const panels = Array.from(
      { length: 5 },
      () => (CHARTS.boundary as { panels: object[] }).panels[0],
    );
    const chart = { ...CHARTS.boundary, panels } as Chart;
    const spec = chartSpec(chart, 'Units') as { columns: number; concat: object[] };
    expect(spec.columns).toBe(4);
    expect(spec.concat).toHaveLength(5);
  });
});
