import { readApexClass } from '../apex';
import { BaseComponents } from '../base-components';
import { moduleOfTag } from '../templates';

describe('readApexClass', () => {
  const source = `/** Controller. @AuraEnabled in a comment does not count. */
public with sharing class Probe {
    @AuraEnabled(cacheable=true)
    public static List<Row> getRows(Id recordId) { return null; }
    @AuraEnabled
    @SuppressWarnings('PMD.ExcessiveParameterList')
    public static Map<String, Object> save(String a) { return null; }
    // @AuraEnabled
    public static void helper() {}
    @AuraEnabled
    public String notStatic() { return ''; }
    public class Row {
        @AuraEnabled
        public String name;
    }
}
`;
  const info = readApexClass('classes/Probe.cls', source);

  it('reads the sharing declaration', () => {
    expect(info.sharing).toBe('with sharing');
    expect(readApexClass('x', 'public class Loose { }').sharing).toBeUndefined();
    expect(readApexClass('x', 'public inherited  sharing class Mixed { }').sharing).toBe('inherited sharing');
  });

  it('finds @AuraEnabled methods with their line, whatever other annotations follow', () => {
    expect(info.auraEnabled.get('getrows')).toEqual({ name: 'getRows', line: 4, isStatic: true });
    expect(info.auraEnabled.get('save')).toEqual({ name: 'save', line: 7, isStatic: true });
    expect(info.auraEnabled.get('notstatic')?.isStatic).toBe(false);
  });

  it('keeps methods whose annotation is commented out apart, and ignores properties', () => {
    expect(info.auraEnabled.has('helper')).toBe(false);
    expect(info.otherMethods.has('helper')).toBe(true);
    expect(info.auraEnabled.has('name')).toBe(false);
  });
});

describe('BaseComponents (lightning-base-components metadata/raptor.json)', () => {
  const base = new BaseComponents();

  it('gives published properties and those inherited through extends', () => {
    const button = base.module('lightning/button');
    expect([...(button?.properties ?? [])]).toEqual(
      expect.arrayContaining(['label', 'variant', 'iconName', 'disabled']),
    );
    expect(button?.properties.has('focus')).toBe(false); // a method, not a property
  });

  it('knows the minimum API version and modules without a template', () => {
    expect(base.module('lightning/recordPicker')?.minVersion).toBe(59);
    expect(base.module('lightning/uiRecordApi')).toBeDefined();
  });

  it('has no entry for a module the platform does not provide', () => {
    expect(base.module('lightning/sparkle')).toBeUndefined();
  });

  it('maps tags to modules', () => {
    expect(moduleOfTag('lightning-formatted-date-time')).toBe('lightning/formattedDateTime');
    expect(moduleOfTag('c-tightknit-error-panel')).toBe('c/tightknitErrorPanel');
  });
});
