import { describe, expect, it } from 'vitest';
import { classes, className, styles } from './classes';

describe('classes and styles set from attachments', () => {
  it('turns each class on or off and leaves the others alone', () => {
    const el = document.createElement('li');
    el.className = 'row row-active';
    classes({ 'row-selected': true, 'row-active': false })(el);
    expect(el.className).toBe('row row-selected');
    classes({ 'row-selected': false })(el);
    expect(el.className).toBe('row');
  });

  it('sets the whole class list', () => {
    const el = document.createElement('p');
    className('status-line status-online')(el);
    expect(el.className).toBe('status-line status-online');
    className('status-line status-connecting')(el);
    expect(el.className).toBe('status-line status-connecting');
  });

  it('sets style properties, custom properties included, through the CSSOM', () => {
    const el = document.createElement('li');
    styles({ height: '56px', '--avatar-hue': '120' })(el);
    expect(el.style.height).toBe('56px');
    expect(el.style.getPropertyValue('--avatar-hue')).toBe('120');
    styles({ height: '28px' })(el);
    expect(el.style.height).toBe('28px');
  });
});
